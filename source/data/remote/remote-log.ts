// A log file on a remote node, followed with the node's own `tail -F` over the ssh master
// connection: the file is on the node, not here. Lines are split and parsed as local files are.
import {UndockError} from '../errors.js';
import type {FollowOptions, LogFollower} from '../logs/follow.js';
import {LineSplitter} from '../logs/lines.js';
import type {SshTunnel} from './ssh-tunnel.js';

/** The initial tail is what arrives before the output pauses this long (tail writes it at once). */
const INITIAL_QUIET_MS = 150;

export function followRemoteLog(tunnel: SshTunnel, file: string, opts: FollowOptions): LogFollower {
  const splitter = new LineSplitter(opts.format);
  const lines = Number.isFinite(opts.tail) ? String(opts.tail) : '+1';
  let stopped = false;
  let first = true;
  let pending: ReturnType<typeof splitter.split> = [];
  let quiet: NodeJS.Timeout | undefined;
  let stderr = '';
  let child;
  try {
    // -F: follows across rotation, as the local follower does; --: a path is never an option.
    child = tunnel.run(['tail', '-n', lines, ...(opts.follow ? ['-F'] : []), '--', file]);
  } catch (err) {
    queueMicrotask(() => opts.onError(err));
    return {stop() {}};
  }
  const flushFirst = () => {
    first = false;
    if (!stopped) opts.onLines(pending);
    pending = [];
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    const got = splitter.split(chunk);
    if (first) {
      pending.push(...got);
      clearTimeout(quiet);
      quiet = setTimeout(flushFirst, INITIAL_QUIET_MS);
    } else if (got.length && !stopped) opts.onLines(got);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-2048);
    // tail -F says so when the file is missing or replaced, and goes on.
    if (/has been replaced|has appeared/.test(d)) opts.onRotate?.();
  });
  child.on('exit', (code) => {
    clearTimeout(quiet);
    if (stopped) return;
    const rest = [...pending, ...splitter.finish()];
    if (first || rest.length) opts.onLines(rest);
    first = false;
    if (code !== 0 && code !== null) {
      const line = stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? `exit code ${code}`;
      opts.onError(new UndockError(/No such file/.test(line) ? 'not-found' : 'unavailable', `reading ${file} on ${tunnel.address.host}: ${line}`));
    } else if (opts.follow) opts.onError(new UndockError('unavailable', `the log of ${file} on ${tunnel.address.host} stopped: the ssh connection ended`));
  });
  // No output at all (an empty file): the view still learns the file is loaded.
  quiet = setTimeout(() => first && flushFirst(), INITIAL_QUIET_MS * 4);
  const proc = child;
  return {
    stop() {
      stopped = true;
      clearTimeout(quiet);
      if (proc.exitCode === null) proc.kill('SIGTERM');
    },
  };
}
