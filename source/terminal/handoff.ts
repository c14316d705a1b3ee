import {enterFullScreen, leaveFullScreen} from './screen.js';

/** What the terminal is given while a child process owns it. */
export interface TerminalIO {
  /** Every byte the user types, raw (ctrl-c included), while the child has the terminal. */
  onInput: (listener: (data: Buffer) => void) => void;
  stdout: NodeJS.WriteStream;
  columns: number;
  rows: number;
  /** Called with the new size on every SIGWINCH while the child runs. */
  onResize: (listener: (columns: number, rows: number) => void) => void;
}

/** The UI that normally owns the terminal: it can step aside and come back exactly as it was. */
export interface TerminalOwner {
  suspend(): void;
  resume(): void;
}

let owner: TerminalOwner | undefined;

export function setTerminalOwner(o: TerminalOwner | undefined): void {
  owner = o;
}

/**
 * The only place that hands the terminal to a child (exec) and takes it back: the UI is unmounted,
 * the alternate screen left and stdin put in raw mode for the child; afterwards everything is
 * restored and the UI rendered again from its stores, so view, selection and filter are as they were.
 */
export async function handTerminalOver<T>(banner: string, run: (io: TerminalIO) => Promise<T>, opts: {passthrough?: boolean} = {}): Promise<T> {
  const stdin = process.stdin;
  const stdout = process.stdout;
  if (!owner || !stdin.isTTY) throw new Error('no terminal to hand over');
  owner.suspend();
  leaveFullScreen();
  stdout.write(`${banner}\r\n`);
  const resizeListeners: Array<(c: number, r: number) => void> = [];
  const onResize = () => resizeListeners.forEach((l) => l(stdout.columns, stdout.rows));
  stdout.on('resize', onResize);
  // Read on 'readable', as Ink does: a 'data' listener would switch stdin to flowing mode, and a
  // stream paused again after that delivers nothing to the next Ink instance.
  const inputListeners: Array<(d: Buffer) => void> = [];
  const onReadable = () => {
    let chunk: Buffer | string | null;
    while ((chunk = stdin.read()) !== null) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      inputListeners.forEach((l) => l(data));
    }
  };
  // passthrough: the child inherits the terminal and reads it itself (an editor).
  if (!opts.passthrough) {
    stdin.setRawMode(true);
    stdin.on('readable', onReadable);
  }
  try {
    return await run({
      onInput: (l) => inputListeners.push(l),
      stdout,
      columns: stdout.columns,
      rows: stdout.rows,
      onResize: (l) => resizeListeners.push(l),
    });
  } finally {
    stdout.off('resize', onResize);
    stdin.off('readable', onReadable);
    stdin.setRawMode(false);
    enterFullScreen();
    owner.resume();
  }
}
