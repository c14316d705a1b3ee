import {runExitTasks} from './at-exit.js';

/**
 * The terminal's full-screen state: undock draws on the alternate screen and must give the
 * user's screen back on every way out (quit, signal, crash).
 */
const ENTER = '\x1b[?1049h\x1b[H';
const LEAVE = '\x1b[?25h\x1b[?1049l';

let active = false;
let restoreInput: () => void = () => {};

/** How the terminal's input is given back (raw mode off) when the full screen is left for good. */
export function setInputRestorer(fn: () => void): void {
  restoreInput = fn;
}

export function enterFullScreen(out: NodeJS.WriteStream = process.stdout): void {
  if (active || !out.isTTY) return;
  active = true;
  out.write(ENTER);
}

/** Leaves the alternate screen; the input is given back too unless a handoff keeps reading it. */
export function leaveFullScreen(out: NodeJS.WriteStream = process.stdout, opts: {keepInput?: boolean} = {}): void {
  if (!active) return;
  active = false;
  if (!opts.keepInput) restoreInput();
  out.write(LEAVE);
}

/**
 * Restores the terminal on signals and crashes; a crash prints one line, not a stack trace.
 * Unhandled rejections are not crashes here: a client library rejecting in the background must not
 * take the UI down (the data layer reports what matters through the stores).
 */
export function installExitGuards(onCrash: (err: unknown) => void): void {
  process.on('exit', () => {
    runExitTasks();
    leaveFullScreen();
  });
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    process.on(sig, () => {
      leaveFullScreen();
      process.exit(128 + (sig === 'SIGHUP' ? 1 : sig === 'SIGINT' ? 2 : 15));
    });
  }
  const crash = (err: unknown) => {
    leaveFullScreen();
    onCrash(err);
    process.exit(70);
  };
  process.on('uncaughtException', crash);
}
