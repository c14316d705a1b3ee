// A container's TTY that outlives undock: its stdin and stdout FIFOs in a folder of the container's, and a
// holder that keeps the stdin FIFO open, so `attach` can come and go.
import {execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';

/** The folder with the FIFOs, on the container record: what start, attach and delete need. */
export const TTY_LABEL = 'undock/tty';

export function ttyFolder(runDir: string, ns: string, id: string): string {
  return path.join(path.resolve(runDir), 'tty', ns, id);
}

export interface TtyPaths {
  stdin: string;
  stdout: string;
}

export function ttyPaths(dir: string): TtyPaths {
  return {stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout')};
}

const holderFile = (dir: string) => path.join(dir, 'holder.pid');

function holderAlive(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(holderFile(dir), 'utf8'));
    // A recycled pid is not ours: the holder is a sleep whose stdout is this folder's stdin FIFO.
    const out = fs.readlinkSync(`/proc/${pid}/fd/1`);
    return out === ttyPaths(dir).stdin ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The shim reads the TTY's stdin from the FIFO and hangs the terminal up at the first EOF, which
 * comes when the last writer closes it: attach closing it would end the container's shell. And it
 * opens stdout write-only, which waits for a reader. A sleep, detached from undock, holds a writer
 * of stdin and a reader of stdout (it reads nothing) for as long as the container exists.
 */
function ensureHolder(dir: string): void {
  if (holderAlive(dir)) return;
  const p = ttyPaths(dir);
  const out = fs.openSync(p.stdout, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const inp = fs.openSync(p.stdin, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  try {
    const child = spawn('sleep', ['infinity'], {detached: true, stdio: [out, inp, 'ignore']});
    child.unref();
    if (!child.pid) throw new UndockError('unknown', `cannot start the TTY holder for ${dir}`);
    fs.writeFileSync(holderFile(dir), String(child.pid));
  } finally {
    fs.closeSync(out);
    fs.closeSync(inp);
  }
}

/** Makes the folder, its FIFOs (kept if there) and the holder. */
export function prepareTty(dir: string): TtyPaths {
  const p = ttyPaths(dir);
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700});
    for (const f of [p.stdin, p.stdout]) if (!fs.existsSync(f)) execFileSync('mkfifo', ['-m', '600', f]);
    ensureHolder(dir);
  } catch (e) {
    if (e instanceof UndockError) throw e;
    throw new UndockError('unavailable', `cannot make the TTY FIFOs in ${dir}: ${(e as Error).message}`, 'undock must run on the containerd host, as root');
  }
  return p;
}

/** Ends the holder and removes the folder; gone already is fine. */
export function removeTty(dir: string): void {
  const pid = holderAlive(dir);
  if (pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  fs.rmSync(dir, {recursive: true, force: true});
}
