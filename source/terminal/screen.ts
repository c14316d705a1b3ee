import os from 'node:os';
import {runAsyncExitTasks, runExitTasks} from './at-exit.js';

/**
 * The terminal's full-screen state: undock draws on the alternate screen and must give the
 * user's screen back on every way out (quit, signal, crash).
 */
// Focus reporting (?1004) is on only while undock draws: the terminal then says CSI I / CSI O as
// it gets or loses the focus (keys/parse.ts), and undock rests while it is away. It is turned off
// wherever the full screen is left: quit, signals, crashes, and before a child gets the terminal.
export const FOCUS_REPORTING_ON = '\x1b[?1004h';
export const FOCUS_REPORTING_OFF = '\x1b[?1004l';
const ENTER = `\x1b[?1049h\x1b[H${FOCUS_REPORTING_ON}`;
const LEAVE = `${FOCUS_REPORTING_OFF}\x1b[?25h\x1b[?1049l`;

/** How long undock waits for its async exit tasks (killing the execs it started) before it exits anyway. */
export const EXIT_CLEANUP_MS = 1_000;

/**
 * Every signal whose default action ends the process and that Node lets a program catch (SIGUSR1
 * is Node's inspector, handled in main.ts; SIGTRAP is left to debuggers).
 */
const ENDING_SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGXFSZ', 'SIGPWR', 'SIGIO'] as const;

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

let exiting = false;

/** Gives the terminal back at once, then ends what undock started (bounded), then exits. A second signal exits at once. */
async function exitAfterCleanup(code: number): Promise<void> {
  if (exiting) process.exit(code);
  exiting = true;
  leaveFullScreen();
  await runAsyncExitTasks(EXIT_CLEANUP_MS);
  process.exit(code);
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
  for (const sig of ENDING_SIGNALS) {
    const number = os.constants.signals[sig];
    if (number === undefined) continue;
    process.on(sig, () => void exitAfterCleanup(128 + number));
  }
  const crash = (err: unknown) => {
    leaveFullScreen();
    onCrash(err);
    void exitAfterCleanup(70);
  };
  process.on('uncaughtException', crash);
}
