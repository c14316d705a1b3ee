import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {LogLine} from './cri-log.js';
import {LineSplitter} from './lines.js';
import {readTail} from './tail.js';

export type {LogLine, LogStream} from './cri-log.js';

export interface FollowOptions {
  format: 'cri' | 'plain';
  /** How many of the last lines to start with (0: none, Infinity: the whole file). */
  tail: number;
  /** Keep reading as the file grows (and across rotation); false: deliver the tail, then stop. */
  follow: boolean;
  /**
   * New lines, oldest first. The first call is the initial tail (made even when it is empty, so a view
   * knows the file is loaded); later calls batch what arrived in one read.
   */
  onLines: (lines: LogLine[]) => void;
  onError: (e: unknown) => void;
  /** The file was replaced (a new inode at the path) or truncated: reading went on from its start. */
  onRotate?: () => void;
  /** The safety-net poll, for changes the file watcher misses (default 1000 ms). */
  pollMs?: number;
}

export interface LogFollower {
  stop(): void;
}

// Reading forwards: one batch of lines per chunk, so a huge backlog never sits in memory at once.
const FORWARD_CHUNK = 256 * 1024;

function fileError(e: unknown, file: string): UndockError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new UndockError('not-found', `no log file at ${file}`, 'has the container started yet?');
  if (code === 'EACCES' || code === 'EPERM') return new UndockError('permission', `cannot read ${file}: permission denied`, 'run undock as root');
  return new UndockError('unknown', `reading ${file} failed: ${(e as Error).message}`);
}

class Follower implements LogFollower {
  private readonly file: string;
  private readonly opts: FollowOptions;
  private readonly splitter: LineSplitter;
  private fh?: fs.promises.FileHandle;
  private ino = 0;
  private dev = 0;
  /** Where the next forward read starts. */
  private pos = 0;
  private stopped = false;
  private busy = false;
  private again = false;
  private scheduled = false;
  private watcher?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;
  private lastError?: string;
  /** onLines calls made by deliver. */
  private deliveries = 0;

  constructor(file: string, opts: FollowOptions) {
    this.file = file;
    this.opts = opts;
    this.splitter = new LineSplitter(opts.format);
  }

  start(): void {
    void this.run(async () => {
      const opened = await this.open();
      if (opened) {
        const size = (await this.fh!.stat()).size;
        if (Number.isFinite(this.opts.tail)) {
          const initial = await readTail(this.fh!, size, this.opts, this.splitter);
          // Following goes on from where the tail ended.
          this.pos = size;
          if (!this.stopped) this.opts.onLines(initial);
        } else {
          // The whole file: read forwards in batches rather than holding it all at once.
          const delivered = this.deliveries;
          await this.readForward();
          const rest = this.opts.follow ? [] : this.splitter.finish();
          if (this.deliveries === delivered || rest.length > 0) this.opts.onLines(rest);
        }
      }
      if (!this.opts.follow) {
        this.stop();
        return;
      }
      // Stopped while the first read was out (a view opened and left at once): no watcher, no poll.
      if (this.stopped) return;
      this.watch();
      this.timer = setInterval(() => this.schedule(), this.opts.pollMs ?? 1000);
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearInterval(this.timer);
    // A read in progress closes the file when it is done (see run).
    if (!this.busy) this.closeFile();
  }

  private closeFile(): void {
    const fh = this.fh;
    this.fh = undefined;
    void fh?.close().catch(() => undefined);
  }

  private report(e: unknown): void {
    const err = e instanceof UndockError ? e : fileError(e, this.file);
    // A poll that fails the same way every second reports it once.
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    if (!this.stopped) this.opts.onError(err);
  }

  /** Runs one read at a time; a change noticed meanwhile runs another pass after it. */
  private async run(pass: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await pass();
    } catch (e) {
      this.report(e);
    } finally {
      this.busy = false;
      if (this.stopped) this.closeFile();
      else if (this.again) {
        this.again = false;
        this.schedule();
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    // Many watch events in one tick (a write per line) make one read.
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) void this.run(() => this.check());
    });
  }

  private watch(): void {
    // The folder, not the file: a watch on the file follows its inode away on rename, and misses the new file.
    const base = path.basename(this.file);
    try {
      this.watcher = fs.watch(path.dirname(this.file), {persistent: true}, (_event, name) => {
        if (!name || name.toString() === base) this.schedule();
      });
      // Out of inotify watches, or the folder went away: the poll carries on alone.
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined;
    }
  }

  private async open(): Promise<boolean> {
    let fh: fs.promises.FileHandle | undefined;
    try {
      // Opening a FIFO (a task's stdout without a log file) would wait for a writer: refuse it first.
      if (!(await fs.promises.stat(this.file)).isFile()) throw new UndockError('invalid', `${this.file} is not a regular file`, 'undock reads log files only');
      fh = await fs.promises.open(this.file, 'r');
      const st = await fh.stat();
      if (this.stopped) {
        await fh.close();
        return false;
      }
      this.fh = fh;
      this.ino = st.ino;
      this.dev = st.dev;
      this.pos = 0;
      this.splitter.reset();
      this.lastError = undefined;
      return true;
    } catch (e) {
      await fh?.close().catch(() => undefined);
      this.report(e);
      return false;
    }
  }

  /** Reads from pos to the end of the open file, handing over lines one chunk at a time. */
  private async readForward(): Promise<void> {
    const buf = Buffer.allocUnsafe(FORWARD_CHUNK);
    for (;;) {
      if (this.stopped || !this.fh) return;
      const {bytesRead} = await this.fh.read(buf, 0, FORWARD_CHUNK, this.pos);
      if (bytesRead === 0) return;
      this.pos += bytesRead;
      this.deliver(this.splitter.split(buf.subarray(0, bytesRead)));
      if (bytesRead < FORWARD_CHUNK) return;
      // Let the UI breathe between chunks of a big backlog.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private deliver(lines: LogLine[]): void {
    if (lines.length === 0 || this.stopped) return;
    this.deliveries++;
    this.opts.onLines(lines);
  }

  private async check(): Promise<void> {
    if (!this.fh) {
      // The file was missing: start from its beginning once it is there.
      if (await this.open()) await this.readForward();
      return;
    }
    const size = (await this.fh.stat()).size;
    if (size < this.pos) {
      // Truncated in place (copytruncate): start over from the beginning.
      this.pos = 0;
      this.splitter.reset();
      this.opts.onRotate?.();
    }
    await this.readForward();
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(this.file);
    } catch (e) {
      // Renamed away and not re-created yet: keep reading the old file until a new one appears.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (st.ino === this.ino && st.dev === this.dev) return;
    // Replaced: the old file has been read to its end above; go on with the new one from its start.
    this.deliver(this.splitter.finish());
    this.closeFile();
    if (await this.open()) {
      this.opts.onRotate?.();
      await this.readForward();
    }
  }
}

/**
 * Reads the last `tail` lines of a log file, then (with follow) the lines appended to it, noticing
 * rotation (the file replaced or truncated). Plain files are split into lines; CRI files are parsed
 * and their chunked lines joined. Errors (a missing file, permissions) go to onError; while following,
 * a file that is missing at first is picked up when it appears.
 */
export function followLog(file: string, opts: FollowOptions): LogFollower {
  const follower = new Follower(file, opts);
  follower.start();
  return follower;
}
