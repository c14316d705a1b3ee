import {execInContainer} from '../../data/containerd/exec.js';
import {pickShell} from '../../data/containerd/exec-shell.js';
import {getTask} from '../../data/containerd/tasks.js';
import {startRemoteExec} from '../../data/remote/remote-exec.js';
import {criLogPath, nativeLog, previousAttemptLog} from '../../data/logs/paths.js';
import {UndockError} from '../../data/errors.js';
import {atExit, atExitAsync} from '../../terminal/at-exit.js';
import {EXIT_CLEANUP_MS} from '../../terminal/screen.js';
import {isPodSandbox} from '../names.js';
import type {Action, ActionResult, DataContext} from '../types.js';

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
 * An interactive process in the container with the real terminal. The exec is started before the
 * terminal is handed over, so "not running" or "no such shell" stay in the status line. A command
 * given with `:exec` keeps its output on screen until a key is pressed.
 */
export function shellInto(t: ContainerTarget, ctx: DataContext, args?: string[]): ActionResult {
  const given = Boolean(args?.length);
  if (ctx.remote) return remoteShell(t, ctx, args);
  return {
    kind: 'handoff',
    banner: `undock: ${t.namespace}/${t.name}: ${given ? 'running' : 'exit the shell to come back'}`,
    prepare: async () => {
      const command = given ? args! : ctx.config.shell.length ? ctx.config.shell : await pickShell(ctx.containerd, t.namespace, t.id);
      const session = await execInContainer(ctx.containerd, t.namespace, t.id, {args: command, tty: true, cols: 80, rows: 24});
      // undock ending any way it can see (quit, a signal, a crash) ends the shell too, never left running in the container.
      const forget = atExitAsync(() => session.end(EXIT_CLEANUP_MS - 200));
      void session.gone.then(forget);
      return async (io) => {
        let keyPressed: (() => void) | undefined;
        let running = true;
        await session.resize(io.columns, io.rows).catch(() => undefined);
        io.onResize((cols, rows) => void session.resize(cols, rows).catch(() => undefined));
        io.onInput((data) => (keyPressed ? keyPressed() : running && session.stdin.write(data)));
        session.stdout.pipe(io.stdout, {end: false});
        let code: number;
        try {
          code = await session.exited;
        } finally {
          running = false;
          session.stdout.unpipe(io.stdout);
        }
        const said = `${command.join(' ')} in ${t.name} exited with code ${code}`;
        if (given) {
          io.stdout.write(`\r\nundock: ${said}: press any key to return\r\n`);
          await new Promise<void>((resolve) => (keyPressed = resolve));
        }
        return said;
      };
    },
  };
}

/** On a remote node, through its own ctr over ssh (see data/remote/remote-exec.ts). */
function remoteShell(t: ContainerTarget, ctx: DataContext, args?: string[]): ActionResult {
  const tunnel = ctx.remote!;
  const command = args?.length ? args : ctx.config.shell;
  return {
    kind: 'handoff',
    passthrough: true,
    banner: `undock: ${tunnel.address.host}: ${t.namespace}/${t.name}: exit the shell to come back`,
    prepare: async () => {
      // The task must be running: said in the status line, before the terminal is handed over.
      const task = await getTask(ctx.containerd, t.namespace, t.id);
      if (task?.status !== 'running') throw new UndockError('invalid', `${t.name} is not running (${task?.status ?? 'no task'}): nothing to exec into`);
      return async () => {
        const child = startRemoteExec(tunnel, {namespace: t.namespace, containerId: t.id, command});
        const stop = atExit(() => child.kill('SIGTERM'));
        const code = await new Promise<number>((resolve) => {
          child.on('error', () => resolve(255));
          child.on('exit', (c) => resolve(c ?? 255));
        });
        stop();
        return `${command.length ? command.join(' ') : 'the shell'} in ${t.name} on ${tunnel.address.host} exited with code ${code}`;
      };
    },
  };
}

/** `s`: a shell in the container (`:exec CMD` runs CMD instead). */
export function shellAction<Row>(target: (row: Row) => ContainerTarget): Action<Row> {
  return {
    id: 'shell',
    keys: ['s'],
    label: 'shell',
    hint: true,
    // Exec starts a process in the container: refused under --readonly, but not asked about.
    dangerous: true,
    run: (row, {ctx, args}) => shellInto(target(row), ctx, args),
  };
}

/** The container's log: CRI's log file (or its previous attempt's), the undock/log-uri label's file, or the task's file:// stdout. */
export async function logsOf(t: ContainerTarget, ctx: DataContext, opts: {previous?: boolean} = {}): Promise<ActionResult> {
  if (isPodSandbox(t.labels)) {
    return {kind: 'status', level: 'error', text: `${t.name} is a pod's sandbox (its pause process), which logs nothing: its containers do (enter on the pod in :pods)`};
  }
  if (t.cri) {
    // A container without a log file is said so by criLogPath (an error in the status line).
    const path = await criLogPath(ctx.cri, t.id);
    const previousPath = previousAttemptLog(path);
    if (opts.previous) {
      if (!previousPath) return {kind: 'status', level: 'error', text: `container ${t.name} has no previous attempt's log (${path} is the first)`};
      return {kind: 'logs', title: `${t.name} (previous attempt)`, crumb: 'logs', source: {path: previousPath, format: 'cri', previousPath: path}};
    }
    return {kind: 'logs', title: t.name, crumb: 'logs', source: {path, format: 'cri', previousPath}};
  }
  const log = nativeLog(t.labels, await getTask(ctx.containerd, t.namespace, t.id));
  if ('why' in log) return {kind: 'status', level: 'error', text: `container ${t.name} has no log undock can read: ${log.why}`};
  return {kind: 'logs', title: t.name, crumb: 'logs', source: {path: log.path, format: 'plain'}};
}

/** `l`: the container's log. */
export function logsAction<Row>(target: (row: Row) => ContainerTarget): Action<Row> {
  return {id: 'logs', keys: ['l'], label: 'logs', hint: true, run: (row, {ctx}) => logsOf(target(row), ctx)};
}
