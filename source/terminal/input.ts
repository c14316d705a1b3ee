import {StringDecoder} from 'node:string_decoder';
import tty from 'node:tty';

/**
 * The one reader of the terminal. undock reads fd 0 through a stream of its own (Ink is given a
 * dummy stdin), so it can let go completely: while an editor owns the terminal the stream is
 * destroyed, which stops Node reading the tty (a paused stream keeps reading into its buffer and
 * would steal the editor's keys). When the terminal comes back, what arrives in the first moments
 * was typed for the child and is dropped.
 */
export class TerminalInput {
  private stream?: tty.ReadStream;
  private sink?: (data: Buffer) => void;
  private discardUntil = 0;

  constructor(private readonly fd = 0) {}

  get reading(): boolean {
    return this.stream !== undefined;
  }

  /** Reads the terminal in raw mode and gives every chunk to `sink`; bytes in the first `discardMs` are dropped. */
  acquire(sink: (data: Buffer) => void, opts: {discardMs?: number} = {}): void {
    this.sink = sink;
    this.discardUntil = opts.discardMs ? Date.now() + opts.discardMs : 0;
    if (!this.stream) {
      const s = new tty.ReadStream(this.fd);
      s.on('data', (d: Buffer) => this.onData(d));
      s.on('error', () => this.release());
      this.stream = s;
    }
    // Raw mode again on every take-back: a child may have left the terminal in another mode.
    this.stream.setRawMode(true);
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

  private onData(d: Buffer): void {
    if (this.discardUntil && Date.now() < this.discardUntil) return;
    this.discardUntil = 0;
    this.sink?.(d);
  }
}

/** Splits raw bytes into text without cutting a UTF-8 character between two reads. */
export function textDecoder(): (d: Buffer) => string {
  const decoder = new StringDecoder('utf8');
  return (d) => decoder.write(d);
}
