/**
 * A log line is cut here, with CUT_MARK at its end: a line is kept in a ring of thousands, drawn and
 * searched, so one hostile 50 MB line must not be. CRI runtimes write 16 KiB chunks, so a CRI line
 * is cut once its joined chunks reach the bound.
 */
export const MAX_LINE_BYTES = 16 * 1024;
export const CUT_MARK = ' … [line cut at 16 KiB]';

/** Which stream a line came from. */
export type LogStream = 'stdout' | 'stderr';

/** One log line as shown: plain logs have only text; CRI logs have time and stream too. */
export interface LogLine {
  time?: Date;
  stream?: LogStream;
  text: string;
}

/** One physical line of a CRI log file: `<RFC3339Nano> <stdout|stderr> <P|F>[:tags] <text>`. */
export interface CriRecord {
  time: Date;
  stream: LogStream;
  /** P: a chunk of a longer line, continued by the next record of the same stream. */
  partial: boolean;
  text: string;
}

// RFC 3339 with optional fraction (Go's RFC3339Nano drops trailing zeros) and a Z or +hh:mm zone.
const timestampPattern = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/;

/** Parses one physical CRI log line; undefined when it is not one. */
export function parseCriRecord(line: string): CriRecord | undefined {
  const timeEnd = line.indexOf(' ');
  if (timeEnd < 0) return undefined;
  const streamEnd = line.indexOf(' ', timeEnd + 1);
  const stream = line.slice(timeEnd + 1, streamEnd < 0 ? undefined : streamEnd);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const stamp = line.slice(0, timeEnd);
  if (!timestampPattern.test(stamp)) return undefined;
  const ms = Date.parse(stamp);
  if (Number.isNaN(ms)) return undefined;
  if (streamEnd < 0) return {time: new Date(ms), stream, partial: false, text: ''};
  const tagEnd = line.indexOf(' ', streamEnd + 1);
  const tags = line.slice(streamEnd + 1, tagEnd < 0 ? undefined : tagEnd);
  const first = tags.split(':', 1)[0];
  if (first !== 'P' && first !== 'F') {
    // Written without the tag field (older runtimes): everything after the stream is text.
    return {time: new Date(ms), stream, partial: false, text: line.slice(streamEnd + 1)};
  }
  return {time: new Date(ms), stream, partial: first === 'P', text: tagEnd < 0 ? '' : line.slice(tagEnd + 1)};
}

type Pending = {chunks: string[]; length: number; cut: boolean};

/** Chunks are kept up to the line bound; past it they are counted as cut and dropped. */
function add(p: Pending, text: string): void {
  if (p.cut) return;
  if (p.length + text.length > MAX_LINE_BYTES) {
    p.chunks.push(text.slice(0, MAX_LINE_BYTES - p.length));
    p.cut = true;
  } else p.chunks.push(text);
  p.length += text.length;
}

function joined(p: Pending): string {
  const text = p.chunks.join('');
  return p.cut && !text.endsWith(CUT_MARK) ? text + CUT_MARK : text;
}

/**
 * Turns physical CRI log lines into whole lines: `P` chunks are joined (per stream, since stdout and
 * stderr chunks interleave) until that stream's `F` line. A line that is not CRI-formatted is kept
 * as plain text. A joined line carries the time of its first chunk.
 */
export class CriLogParser {
  private readonly pending: Partial<Record<LogStream, {time: Date; chunks: string[]; length: number; cut: boolean}>> = {};

  /** Feeds one physical line; returns the whole line it completes, if any. */
  push(line: string): LogLine | undefined {
    const rec = parseCriRecord(line);
    if (!rec) return {text: line};
    const open = this.pending[rec.stream];
    if (rec.partial) {
      if (open) add(open, rec.text);
      else this.pending[rec.stream] = {time: rec.time, chunks: [rec.text], length: rec.text.length, cut: false};
      return undefined;
    }
    if (!open) return {time: rec.time, stream: rec.stream, text: rec.text};
    delete this.pending[rec.stream];
    add(open, rec.text);
    return {time: open.time, stream: rec.stream, text: joined(open)};
  }

  /** Whether a stream has chunks waiting for their F line. */
  get hasPending(): boolean {
    return this.pending.stdout !== undefined || this.pending.stderr !== undefined;
  }

  /** Hands over unfinished lines (e.g. at the end of a file that will not grow) and forgets them. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const open = this.pending[stream];
      if (open) out.push({time: open.time, stream, text: joined(open)});
      delete this.pending[stream];
    }
    return out;
  }

  reset(): void {
    delete this.pending.stdout;
    delete this.pending.stderr;
  }
}

/** Parses a whole CRI log (physical lines, without their newlines), unfinished lines included at the end. */
export function parseCriLog(lines: Iterable<string>): LogLine[] {
  const parser = new CriLogParser();
  const out: LogLine[] = [];
  for (const line of lines) {
    const whole = parser.push(line);
    if (whole) out.push(whole);
  }
  out.push(...parser.flush());
  return out;
}
