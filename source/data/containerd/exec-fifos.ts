// The FIFOs an exec's stdio goes through: made on this host where containerd's shim can open them, our ends opened without blocking.
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {UndockError} from '../errors.js';

const execFileAsync = promisify(execFile);

export const fifoHint = 'undock must run on the host of the containerd socket, with a temp folder the shim can see (set TMPDIR)';

async function makeFifos(dir: string, names: string[]): Promise<void> {
  try {
    await execFileAsync('mkfifo', ['-m', '600', ...names.map((n) => path.join(dir, n))]);
  } catch (e) {
    const why = ((e as {stderr?: string}).stderr || (e as Error).message).trim().split('\n')[0];
    throw new UndockError('unavailable', `cannot make the exec FIFOs in ${dir}: ${why}`, fifoHint);
  }
}

/**
 * The FIFO folders made here and not yet removed. An exit that cuts an exec short (a signal, a quit
 * while containerd is away, so the exec's end never comes) removes them as the process ends: they
 * were left in the temp folder, one per shell (the shim keeps the FIFOs it has open either way).
 */
const ownDirs = new Set<string>();
let exitHook = false;
function keepUntilExit(dir: string): void {
  ownDirs.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const d of ownDirs) fs.rmSync(d, {recursive: true, force: true});
  });
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Opens a FIFO without blocking; a pipe handle (not the thread pool) does the reading or writing. */
export function openFifo(file: string, mode: 'read' | 'write'): net.Socket {
  // O_RDONLY|O_NONBLOCK opens at once and epoll reports nothing until a writer has come and gone; O_RDWR
  // never waits for a reader (Linux). Neither ties up a libuv thread on a peer that may never come.
  const flags = mode === 'read' ? fs.constants.O_RDONLY | fs.constants.O_NONBLOCK : fs.constants.O_RDWR | fs.constants.O_NONBLOCK;
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (e) {
    throw new UndockError('unavailable', `cannot open the exec FIFO ${file}: ${errorText(e)}`, fifoHint);
  }
  const socket = new net.Socket({fd, readable: mode === 'read', writable: mode === 'write'});
  // A stream error (none expected on a FIFO) must not crash the process when nobody listens.
  socket.on('error', () => undefined);
  return socket;
}

/**
 * Resolves true when the stream has ended, or false once it has made no progress (nothing read from
 * the FIFO, nothing taken by its reader) for stallMs: a reader that stopped reading does not hold the exit up.
 */
export function endedOrStalled(stream: net.Socket | undefined, stallMs: number): Promise<boolean> {
  if (!stream || stream.readableEnded || stream.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const progress = () => `${stream.bytesRead}/${stream.readableLength}`;
    let last = progress();
    let still = 0;
    const step = Math.min(200, stallMs);
    const done = (value: boolean) => {
      clearInterval(timer);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
      resolve(value);
    };
    const onEnd = () => done(true);
    const timer = setInterval(() => {
      const now = progress();
      still = now === last ? still + step : 0;
      last = now;
      if (still >= stallMs) done(false);
    }, step);
    stream.once('end', onEnd);
    stream.once('close', onEnd);
  });
}

export type FifoName = 'stdin' | 'stdout' | 'stderr';

/** One exec's FIFOs: made together, our ends opened one by one, all of it removed together. */
export interface ExecFifos {
  /** The folder they are in ('' until make has made a private one). */
  readonly dir: string;
  path(name: FifoName): string;
  /** Makes the folder (unless one was given) and the FIFOs; with a tty there is no stderr. */
  make(): Promise<void>;
  /** Opens our end of one; remove closes it. */
  open(name: FifoName, mode: 'read' | 'write'): net.Socket;
  /** Closes our ends and removes the FIFOs, and the folder if it was made here. */
  remove(): Promise<void>;
}

/**
 * The FIFOs of exec execId, in givenDir (kept afterwards) or by default in a private folder made
 * under os.tmpdir() (removed afterwards).
 */
export function execFifos(execId: string, tty: boolean, givenDir?: string): ExecFifos {
  const ownDir = !givenDir;
  const names = {stdin: `${execId}-stdin`, stdout: `${execId}-stdout`, stderr: `${execId}-stderr`};
  let fifoDir = givenDir ?? '';
  const fifo = (n: FifoName) => path.join(fifoDir, names[n]);
  const streams: net.Socket[] = [];
  return {
    get dir() {
      return fifoDir;
    },
    path: fifo,
    make: async () => {
      if (ownDir) {
        try {
          fifoDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'undock-exec-'));
          keepUntilExit(fifoDir);
        } catch (e) {
          throw new UndockError('unavailable', `cannot make a folder for the exec FIFOs: ${errorText(e)}`, fifoHint);
        }
      }
      await makeFifos(fifoDir, tty ? [names.stdin, names.stdout] : [names.stdin, names.stdout, names.stderr]);
    },
    open: (n, mode) => {
      const stream = openFifo(fifo(n), mode);
      streams.push(stream);
      return stream;
    },
    remove: async () => {
      for (const s of streams) s.destroy();
      if (!fifoDir) return;
      if (ownDir) {
        await fs.promises.rm(fifoDir, {recursive: true, force: true}).catch(() => undefined);
        ownDirs.delete(fifoDir);
      } else await Promise.all(Object.values(names).map((n) => fs.promises.rm(path.join(fifoDir, n), {force: true}).catch(() => undefined)));
    },
  };
}
