import {randomBytes} from 'node:crypto';
import type net from 'node:net';
import os from 'node:os';
import type {Readable, Writable} from 'node:stream';
import {UndockError} from '../errors.js';
import {encodeJsonAny, ociProcessTypeUrl} from '../grpc/any.js';
import type {ContainerdClient} from './client.js';
import {getContainer, type ContainerRecord} from './containers.js';
import {errorText, execFifos, fifoHint} from './exec-fifos.js';
import {execLife} from './exec-life.js';
import {mergeEnv} from './oci-spec.js';
import {getTask, type TaskRecord} from './tasks.js';

const tasksProto = 'containerd/services/tasks/v1/tasks.proto';
const tasksService = 'containerd.services.tasks.v1.Tasks';

// runc exec forks, joins the namespaces and execs; a loaded host can take seconds.
const START_DEADLINE_MS = 30_000;
const SIGKILL = os.constants.signals.SIGKILL;

export interface ExecOptions {
  /** The command; args[0] is looked up in the container's PATH (from its spec's env). */
  args: string[];
  tty: boolean;
  cols?: number;
  rows?: number;
  /** KEY=VALUE entries added to (or replacing those of) the container's environment. */
  env?: string[];
  /** Working directory inside the container; defaults to the container's. */
  cwd?: string;
  /**
   * A folder for the FIFOs, on this host and visible to containerd's shim. By default a private
   * folder made under os.tmpdir() and removed afterwards; a folder given here is kept (only the FIFOs go).
   */
  fifoDir?: string;
}

export interface ExecSession {
  execId: string;
  /** Bytes for the process's stdin (with a tty: keys, e.g. `exit\r`). */
  stdin: Writable;
  /** The process's output; with a tty, stdout and stderr both come here. */
  stdout: Readable;
  /** undefined with a tty. */
  stderr?: Readable;
  /** Sets the terminal size (no-op without a tty). */
  resize(cols: number, rows: number): Promise<void>;
  /** Ends stdin: the process reads EOF (with a tty, the terminal hangs up). */
  closeStdin(): Promise<void>;
  /** Signals the exec'd process (SIGKILL by default); does nothing once it has exited. */
  kill(signal?: number): Promise<void>;
  /**
   * The exit code (128+N when killed by signal N), once the process has exited and its output has
   * been read to the end. A reader that stops reading holds it up for a few seconds at most (then
   * the unread output is dropped). Rejects when containerd goes away meanwhile: the process is then
   * killed as soon as containerd answers again.
   */
  exited: Promise<number>;
  /** Settles when undock is done with the process (exited, or killed and removed). */
  gone: Promise<void>;
  /** Kills the process and removes it and its FIFOs within `budgetMs`, for undock's own exit; never throws. */
  end(budgetMs: number): Promise<void>;
}

interface OciProcess {
  terminal?: boolean;
  consoleSize?: {height: number; width: number};
  args?: string[];
  env?: string[];
  cwd?: string;
  [key: string]: unknown;
}

function isKind(e: unknown, kind: UndockError['kind']): boolean {
  return e instanceof UndockError && e.kind === kind;
}

function notRunning(containerId: string, task: TaskRecord | undefined): UndockError {
  if (task?.status === 'paused' || task?.status === 'pausing') {
    return new UndockError('invalid', `container ${containerId} is paused`, 'resume it first');
  }
  return new UndockError('invalid', `container ${containerId} is not running`, 'start it first');
}

/** The task of a container that must be running, else an error saying why it is not (missing, paused, stopped). */
export async function runningTask(c: ContainerdClient, ns: string, containerId: string): Promise<TaskRecord> {
  const task = await getTask(c, ns, containerId);
  if (task?.status === 'running') return task;
  if (!task) {
    // No task: say whether the container itself is missing.
    await getContainer(c, ns, containerId).catch((e: unknown) => {
      throw isKind(e, 'not-found') ? new UndockError('not-found', `no container ${containerId} in namespace ${ns}`) : e;
    });
  }
  throw notRunning(containerId, task);
}

function processSpec(spec: unknown, containerId: string, opts: ExecOptions): OciProcess {
  const base = (spec as {process?: OciProcess} | undefined)?.process;
  if (!base) throw new UndockError('invalid', `container ${containerId} has no process in its OCI spec`, 'was it created by a containerd client?');
  // As `ctr tasks exec` does: the container's process (user, env, cwd, capabilities, rlimits...) with new args.
  const proc: OciProcess = {...base, args: opts.args, terminal: opts.tty};
  let env = mergeEnv(base.env ?? [], opts.env ?? []);
  // A shell without TERM draws poorly; docker exec -t sets it the same way.
  if (opts.tty && !env.some((kv) => kv.startsWith('TERM='))) env = [...env, 'TERM=xterm'];
  proc.env = env;
  if (opts.cwd) proc.cwd = opts.cwd;
  delete proc.consoleSize;
  if (opts.tty && opts.cols && opts.rows) proc.consoleSize = {height: opts.rows, width: opts.cols};
  return proc;
}

/** Makes the Start error of a failed exec say what went wrong in the user's terms. */
function startError(e: unknown, containerId: string, command: string, cwd: string, fifoDir: string): unknown {
  const text = errorText(e);
  if (text.includes(fifoDir) || /\bfifo\b/i.test(text)) {
    return new UndockError('unavailable', `containerd's shim could not open the exec FIFOs in ${fifoDir}`, fifoHint);
  }
  if (/chdir to cwd/.test(text)) {
    return new UndockError('not-found', `no working directory ${cwd} in container ${containerId}`, 'give another folder');
  }
  // runc: exec: "bash": executable file not found in $PATH / exec: "/no/such": stat /no/such: no such file or directory
  if (/executable file not found/.test(text) || (text.includes(`exec: ${JSON.stringify(command)}`) && /no such file or directory/.test(text))) {
    return new UndockError('not-found', `no ${command} in container ${containerId}`, 'try another shell or command (e.g. /bin/sh)');
  }
  if (/permission denied/i.test(text)) {
    return new UndockError('permission', `cannot run ${command} in container ${containerId}: permission denied`);
  }
  if (isKind(e, 'not-found') || /stopped state|not running/i.test(text)) {
    // The task went away (or stopped) between the check and the exec.
    return new UndockError('invalid', `container ${containerId} is not running`, 'start it first');
  }
  return e;
}

/**
 * Runs a process in a running container the way `ctr tasks exec` does: the container's own process
 * spec with new args, stdio over FIFOs on this host (with a terminal if tty). Works for native
 * containers and CRI ones (namespace k8s.io, the CRI container id). The exec is deleted and its FIFOs
 * removed once it has exited.
 */
export async function execInContainer(c: ContainerdClient, ns: string, containerId: string, opts: ExecOptions): Promise<ExecSession> {
  if (opts.args.length === 0) throw new UndockError('invalid', 'exec needs a command');
  const execId = `undock-${randomBytes(6).toString('hex')}`;
  const fifos = execFifos(execId, opts.tty, opts.fifoDir);

  // The checks and the FIFOs (mkfifo is a child process, a few ms) at the same time.
  const [containerResult, taskResult, fifoResult] = await Promise.allSettled([
    getContainer(c, ns, containerId),
    runningTask(c, ns, containerId),
    fifos.make(),
  ]);
  const failed = [taskResult, containerResult, fifoResult].find((r) => r.status === 'rejected');
  if (failed) {
    await fifos.remove();
    const e = failed.reason;
    throw isKind(e, 'not-found') && failed === containerResult ? new UndockError('not-found', `no container ${containerId} in namespace ${ns}`) : e;
  }
  let spec: OciProcess;
  try {
    spec = processSpec((containerResult as PromiseFulfilledResult<ContainerRecord>).value.spec, containerId, opts);
  } catch (e) {
    await fifos.remove();
    throw e;
  }

  const call = (method: string, req: object, deadlineMs = 10_000) =>
    c.conn.unary<object, {exit_status?: number}>(tasksProto, tasksService, method, {container_id: containerId, exec_id: execId, ...req}, {
      namespace: ns,
      deadlineMs,
    });
  const deleteProcess = () => call('DeleteProcess', {}).catch(() => undefined);

  let stdin: net.Socket, stdout: net.Socket, stderr: net.Socket | undefined;
  let registered = false;
  try {
    // Open our ends before Start: the shim's blocking open of stdout then returns at once.
    stdout = fifos.open('stdout', 'read');
    if (!opts.tty) stderr = fifos.open('stderr', 'read');
    stdin = fifos.open('stdin', 'write');
    await call('Exec', {
      stdin: fifos.path('stdin'),
      stdout: fifos.path('stdout'),
      stderr: opts.tty ? '' : fifos.path('stderr'),
      terminal: opts.tty,
      spec: encodeJsonAny(ociProcessTypeUrl, spec),
    }).catch((e: unknown) => {
      // The task stopped or went away since the check above.
      const gone = isKind(e, 'not-found') || /stopped state|not running/i.test(errorText(e));
      throw gone ? new UndockError('invalid', `container ${containerId} is not running`, 'start it first') : e;
    });
    registered = true;
    await call('Start', {}, START_DEADLINE_MS).catch((e: unknown) => {
      throw startError(e, containerId, opts.args[0], spec.cwd ?? '/', fifos.dir);
    });
  } catch (e) {
    if (registered) {
      // Start can fail after runc started the process (e.g. the shim could not open a FIFO): end it first.
      await call('Kill', {signal: SIGKILL, all: false}).catch(() => undefined);
      await call('Wait', {}, 2_000).catch(() => undefined);
      await deleteProcess();
    }
    await fifos.remove();
    throw e instanceof Error && !(e instanceof UndockError) ? new UndockError('unknown', `exec in container ${containerId} failed: ${e.message}`) : e;
  }

  const resize = async (cols: number, rows: number) => {
    if (!opts.tty) return;
    await call('ResizePty', {width: cols, height: rows}).catch((e: unknown) => {
      if (!isKind(e, 'not-found')) throw e;
    });
  };
  if (opts.tty && opts.cols && opts.rows) await resize(opts.cols, opts.rows).catch(() => undefined);

  const life = execLife(call, fifos, stdout, stderr);

  return {
    execId,
    stdin,
    stdout,
    stderr,
    resize,
    closeStdin: async () => {
      await new Promise<void>((resolve) => stdin.end(resolve));
      stdin.destroy();
      // The shim holds stdin open itself (so the process never sees EOF from us alone): CloseIO closes it.
      await call('CloseIO', {stdin: true}).catch((e: unknown) => {
        if (!isKind(e, 'not-found')) throw e;
      });
    },
    kill: async (signal = SIGKILL) => {
      await call('Kill', {signal, all: false}).catch((e: unknown) => {
        if (!isKind(e, 'not-found')) throw e;
      });
    },
    exited: life.exited,
    gone: life.gone,
    end: life.end,
  };
}
