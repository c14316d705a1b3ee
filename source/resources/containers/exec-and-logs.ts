import {execInContainer} from '../../data/containerd/exec.js';
import {pickShell} from '../../data/containerd/exec-shell.js';
import {criLogPath, nativeLogPath, previousAttemptLog} from '../../data/logs/paths.js';
import {atExitAsync} from '../../terminal/at-exit.js';
import {EXIT_CLEANUP_MS} from '../../terminal/screen.js';
import type {Action, ActionResult} from '../types.js';

/** The container an action works on, whichever pane it is shown in. */
export interface ContainerTarget {
  /** containerd namespace (CRI containers live in k8s.io). */
  namespace: string;
  id: string;
  name: string;
  labels: Record<string, string>;
  /** Known to be managed by CRI (then its log path comes from ContainerStatus). */
  cri: boolean;
}

/**
 * `s`: an interactive process in the container with the real terminal. The exec is started before
 * the terminal is handed over, so "not running" or "no such shell" stay in the status line.
 */
export function shellAction<Row>(target: (row: Row) => ContainerTarget): Action<Row> {
  return {
    id: 'shell',
    keys: ['s'],
    label: 'shell',
    hint: true,
    // Exec starts a process in the container: refused under --readonly, but not asked about.
    dangerous: true,
    run: (row, {ctx, args}): ActionResult => {
      const t = target(row);
      return {
        kind: 'handoff',
        banner: `undock: ${t.namespace}/${t.name}: exit the shell to come back`,
        prepare: async () => {
          const command = args?.length ? args : ctx.config.shell.length ? ctx.config.shell : await pickShell(ctx.containerd, t.namespace, t.id);
          const session = await execInContainer(ctx.containerd, t.namespace, t.id, {args: command, tty: true, cols: 80, rows: 24});
          // undock ending any way it can see (quit, a signal, a crash) ends the shell too, never left running in the container.
          const forget = atExitAsync(() => session.end(EXIT_CLEANUP_MS - 200));
          void session.gone.then(forget);
          return async (io) => {
            await session.resize(io.columns, io.rows).catch(() => undefined);
            io.onResize((cols, rows) => void session.resize(cols, rows).catch(() => undefined));
            io.onInput((data) => session.stdin.write(data));
            session.stdout.pipe(io.stdout, {end: false});
            try {
              const code = await session.exited;
              return `${command.join(' ')} in ${t.name} exited with code ${code}`;
            } finally {
              session.stdout.unpipe(io.stdout);
            }
          };
        },
      };
    },
  };
}

/** `l`: the container's log, from the CRI log file or the file its undock/log-uri label names. */
export function logsAction<Row>(target: (row: Row) => ContainerTarget): Action<Row> {
  return {
    id: 'logs',
    keys: ['l'],
    label: 'logs',
    hint: true,
    run: async (row, {ctx}): Promise<ActionResult> => {
      const t = target(row);
      if (t.cri) {
        // A container without a log file is said so by criLogPath (an error in the status line).
        const path = await criLogPath(ctx.cri, t.id);
        return {kind: 'logs', title: t.name, crumb: 'logs', source: {path, format: 'cri', previousPath: previousAttemptLog(path)}};
      }
      const path = nativeLogPath(t.labels);
      if (!path) {
        return {
          kind: 'status',
          level: 'error',
          text: `container ${t.name} has no log undock can read: it was started without a file log URI (undock/log-uri label)`,
        };
      }
      return {kind: 'logs', title: t.name, crumb: 'logs', source: {path, format: 'plain'}};
    },
  };
}
