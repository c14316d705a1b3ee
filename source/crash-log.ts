// Where a crash's stack goes: a file of the user's own (0600, in a 0700 folder under the XDG state
// folder), never one world-readable file in /tmp shared by every user.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** $XDG_STATE_HOME/undock/crash.log, or ~/.local/state/undock/crash.log (a relative XDG_STATE_HOME is ignored, as the spec says). */
export function crashLogPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'undock', 'crash.log');
}

/** Appends to the log, made 0600 if it was not; a symlink in its place is refused (O_NOFOLLOW). */
export function appendCrashLog(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}
