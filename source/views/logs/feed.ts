import {followLog, type LogLine} from '../../data/logs/follow.js';
import {LineRing} from '../../data/logs/ring.js';
import {errorLine} from '../../data/errors.js';
import type {LogSourceSpec} from '../../resources/types.js';
import {createStore, type Store} from '../../store/store.js';
import {sanitize, type TextPart} from '../../data/text/sanitize.js';

/** A line as it is saved: the container's own bytes. */
export function logText(line: LogLine, timestamps: boolean): string {
  const ts = timestamps && line.time ? `${line.time.toISOString()} ` : '';
  return ts + line.text;
}

const shownCache = new WeakMap<LogLine, TextPart[]>();

/** A line as the view shows and searches it: sanitised once per line (the timestamp is undock's own). */
export function shownLine(line: LogLine, timestamps: boolean): TextPart[] {
  let parts = shownCache.get(line);
  if (!parts) shownCache.set(line, (parts = sanitize(line.text)));
  return timestamps && line.time ? [{text: `${line.time.toISOString()} `}, ...parts] : parts;
}

export interface LogFeedState {
  /** The kept lines, oldest first (at most the ring's capacity). */
  lines: LogLine[];
  /** Sequence number of lines[0]: lines that fell off the ring are counted, so positions stay stable. */
  first: number;
  path: string;
  error?: string;
  rotations: number;
}

/**
 * One followed log file for a log view: a bounded ring of lines (memory stays flat however long
 * it runs) published to a store at most every 50 ms, so a burst of lines is one re-render.
 */
export class LogFeed {
  readonly store: Store<LogFeedState>;
  private readonly ring: LineRing<LogLine>;
  private readonly tail: number;
  private follower?: {stop(): void};
  private flushTimer?: NodeJS.Timeout;
  private source: LogSourceSpec;

  private readonly follow: typeof followLog;

  /** `follow`: where the node keeps the file (a remote node's over ssh); default this machine's. */
  constructor(source: LogSourceSpec, opts: {tail: number; keep: number; follow?: typeof followLog}) {
    this.follow = opts.follow ?? followLog;
    this.source = source;
    this.tail = opts.tail;
    this.ring = new LineRing<LogLine>(opts.keep);
    this.store = createStore<LogFeedState>({lines: [], first: 0, path: source.path, rotations: 0});
  }

  start(path = this.source.path): void {
    this.follower?.stop();
    this.ring.clear();
    this.store.setState({lines: [], first: 0, path, error: undefined});
    this.follower = this.follow(path, {
      format: this.source.format,
      tail: this.tail,
      follow: true,
      onLines: (lines) => {
        for (const l of lines) this.ring.push(l);
        this.scheduleFlush();
      },
      onError: (e) => this.store.setState({error: errorLine(e)}),
      onRotate: () => this.store.setState((s) => ({rotations: s.rotations + 1})),
    });
  }

  /** Switches between the current and the previous attempt's log (CRI containers). */
  togglePrevious(): string | undefined {
    const {path} = this.store.getState();
    const next = path === this.source.path ? this.source.previousPath : this.source.path;
    if (!next) return undefined;
    this.start(next);
    return next;
  }

  stop(): void {
    clearTimeout(this.flushTimer);
    this.follower?.stop();
    this.follower = undefined;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.store.setState({lines: this.ring.lines(), first: this.ring.dropped});
    }, 50);
    this.flushTimer.unref();
  }
}
