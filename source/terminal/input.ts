import fs from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import tty from 'node:tty';

/**
 * The one reader of the terminal. undock reads fd 0 through a stream of its own (Ink is given a
 * dummy stdin), so it can let go completely: while an editor owns the terminal the stream is
 * destroyed, which stops Node reading the tty (a paused stream keeps reading into its buffer and
 * would steal the editor's keys). When the terminal comes back, whatever is still queued in the
 * terminal was typed for the child and is dropped before undock reads again.
 */
export class TerminalInput {
  private stream?: tty.ReadStream;
  private sink?: (data: Buffer) => void;

  constructor(private readonly fd = 0) {}

  get reading(): boolean {
    return this.stream !== undefined;
  }

  /** Reads the terminal in raw mode and gives every chunk to `sink`; `flush` first drops what is queued. */
  acquire(sink: (data: Buffer) => void, opts: {flush?: boolean} = {}): void {
    this.sink = sink;
    const fresh = !this.stream;
    const s = this.stream ?? new tty.ReadStream(this.fd);
    this.stream = s;
    // Raw mode again on every take-back: a child may have left the terminal in another mode.
    s.setRawMode(true);
    if (opts.flush) dropQueuedInput(this.fd);
    if (fresh) {
      s.on('data', (d: Buffer) => this.sink?.(d));
      s.on('error', () => this.release());
    }
  }

  /** Sends the bytes somewhere else (a shell running through undock) without letting go of the terminal. */
  redirect(sink: (data: Buffer) => void): void {
    this.sink = sink;
  }

  /** Lets go of the terminal entirely: raw mode off, the reader closed. */
  release(): void {
    const s = this.stream;
    this.stream = undefined;
    this.sink = undefined;
    if (!s) return;
    try {
      s.setRawMode(false);
    } catch {
      // The terminal may be gone already.
    }
    s.removeAllListeners('data');
    s.destroy();
  }

}

/**
 * Empties the terminal's input queue, as tcflush(TCIFLUSH) would (Node has no binding for it): the
 * terminal is opened again without blocking and read until nothing is left. The queue belongs to the
 * terminal, so this empties it for every reader.
 */
function dropQueuedInput(fd: number): void {
  let tty: number | undefined;
  try {
    tty = fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < 1024 && fs.readSync(tty, buf, 0, buf.length, null) > 0; i++);
  } catch {
    // EAGAIN: the queue is empty (or the terminal cannot be reopened: nothing to drop then).
  } finally {
    if (tty !== undefined) fs.closeSync(tty);
  }
}

/** Splits raw bytes into text without cutting a UTF-8 character between two reads. */
export function textDecoder(): (d: Buffer) => string {
  const decoder = new StringDecoder('utf8');
  return (d) => decoder.write(d);
}
