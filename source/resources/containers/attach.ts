import {attachProblem, attachTask} from '../../data/containerd/attach.js';
import type {Action, ActionResult, DataContext} from '../types.js';
import type {ContainerTarget} from './exec-and-logs.js';

// docker's and nerdctl's detach keys.
const CTRL_P = 0x10;
const CTRL_Q = 0x11;

/**
 * The terminal to the TTY of a task undock started with one, as `nerdctl attach`: keys go to the
 * container, ctrl-p ctrl-q gives the terminal back and leaves the task running; its exit ends it too.
 */
export function attachTo(t: ContainerTarget, ctx: DataContext): ActionResult {
  return {
    kind: 'handoff',
    banner: `undock: attached to ${t.namespace}/${t.name}: ctrl-p ctrl-q detaches (press enter for a prompt)`,
    prepare: async () => {
      const session = await attachTask(ctx.containerd, t.namespace, t.id);
      return async (io) => {
        let detached!: () => void;
        const detach = new Promise<'detached'>((resolve) => (detached = () => resolve('detached')));
        await session.resize(io.columns, io.rows).catch(() => undefined);
        io.onResize((cols, rows) => void session.resize(cols, rows).catch(() => undefined));
        let held: number | undefined;
        io.onInput((data) => {
          // ctrl-p waits for the next byte: ctrl-q detaches, anything else goes through with it.
          const out: number[] = [];
          for (const b of data) {
            if (held === CTRL_P && b === CTRL_Q) return detached();
            if (held !== undefined) out.push(held);
            held = b === CTRL_P ? b : undefined;
            if (held === undefined) out.push(b);
          }
          if (out.length) session.stdin.write(Buffer.from(out));
        });
        session.stdout.pipe(io.stdout, {end: false});
        try {
          const how = await Promise.race([detach, session.exited.then((code) => ({code}))]);
          return how === 'detached' ? `detached from ${t.name}; it keeps running (a attaches again)` : `${t.name} exited with code ${how.code}`;
        } finally {
          session.stdout.unpipe(io.stdout);
          session.detach();
        }
      };
    },
  };
}

/** `a`: attach to the container's TTY. */
export function attachAction<Row>(target: (row: Row) => ContainerTarget, status: (row: Row) => string): Action<Row> {
  return {
    id: 'attach',
    keys: ['a'],
    label: 'attach',
    // It writes to the container's terminal: refused under --readonly.
    dangerous: true,
    disabledReason: (row) => {
      const t = target(row);
      return attachProblem(t.labels, t.name) ?? (status(row) === 'running' ? undefined : `${t.name} is not running (${status(row)})`);
    },
    run: (row, {ctx}) => attachTo(target(row), ctx),
  };
}
