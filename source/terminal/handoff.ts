import {spawnSync} from 'node:child_process';
import {enterFullScreen, leaveFullScreen} from './screen.js';
import type {TerminalInput} from './input.js';
import {safeText} from '../data/text/sanitize.js';

/**
 * Output post-processing back on: a child that left the terminal with -opost (an editor that
 * crashed, `stty -opost`) makes every newline a bare line feed, and undock would draw a staircase.
 * Node's raw mode re-applies the input side only, and Node has no tcsetattr: stty does it, with
 * the terminal as its stdin.
 */
function restoreOutputModes(): void {
  spawnSync('stty', ['opost', 'onlcr'], {stdio: ['inherit', 'ignore', 'ignore'], timeout: 2_000});
}

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

/** The UI that normally owns the terminal: it stops drawing and comes back exactly as it was. */
export interface TerminalOwner {
  /** Stops drawing (the data keeps flowing into the stores). */
  suspend(): void;
  resume(): void;
  input: TerminalInput;
  /** Where the UI's own keys go when it has the terminal. */
  keys: (data: Buffer) => void;
}

let owner: TerminalOwner | undefined;

export function setTerminalOwner(o: TerminalOwner | undefined): void {
  owner = o;
}

/**
 * The only place that hands the terminal to a child and takes it back. The UI stops drawing and the
 * alternate screen is left. An editor (passthrough) gets the terminal itself: undock's reader is
 * closed, so no key of the editor's can reach undock. A shell through undock's exec gets the bytes
 * forwarded. Afterwards the reader is opened again, raw mode re-applied, input typed for the child
 * dropped, and the UI drawn from its stores, so view, selection and filter are as they were.
 */
export async function handTerminalOver<T>(banner: string, run: (io: TerminalIO) => Promise<T>, opts: {passthrough?: boolean} = {}): Promise<T> {
  const stdout = process.stdout;
  if (!owner || !stdout.isTTY) throw new Error('no terminal to hand over');
  const {input} = owner;
  owner.suspend();
  leaveFullScreen(stdout, {keepInput: true});
  // Written past Ink, straight to the terminal: the banner names a key or a container, so it is sanitised here.
  stdout.write(`${safeText(banner)}\r\n`);
  const resizeListeners: Array<(c: number, r: number) => void> = [];
  const onResize = () => resizeListeners.forEach((l) => l(stdout.columns, stdout.rows));
  stdout.on('resize', onResize);
  const inputListeners: Array<(d: Buffer) => void> = [];
  if (opts.passthrough) input.release();
  else input.redirect((data) => inputListeners.forEach((l) => l(data)));
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
    input.acquire(owner.keys, {flush: true});
    restoreOutputModes();
    enterFullScreen();
    owner.resume();
  }
}
