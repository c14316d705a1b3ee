// Reading the last lines of a log file backwards from its end, however big the file is.
import type fs from 'node:fs';
import type {LogLine} from './cri-log.js';
import {isCriPartial, NEWLINE, type LineSplitter} from './lines.js';

// Reading backwards for the tail: lines are usually far shorter than this.
const TAIL_CHUNK = 64 * 1024;

export interface TailOptions {
  format: 'cri' | 'plain';
  /** How many of the last lines (finite; 0: none). */
  tail: number;
  /** The file will be read on: its unfinished last line waits for the rest rather than counting as a line. */
  follow: boolean;
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * The last `tail` lines of an open file of `size` bytes, reading backwards from the end in chunks until
 * enough lines are in hand, so a huge file opens as fast as a small one. Leaves the unfinished last line
 * in the splitter, for the forward reads from `size` on.
 */
export async function readTail(fh: fs.promises.FileHandle, size: number, opts: TailOptions, splitter: LineSplitter): Promise<LogLine[]> {
  const tail = Math.max(0, Math.floor(opts.tail));
  const cri = opts.format === 'cri';
  // One newline more than lines wanted: the first piece in hand is usually a cut-off line. CRI: one
  // more per stream, so a line whose first chunks were cut off mostly falls outside the tail.
  const margin = cri ? 2 : 1;
  let want = tail + margin;
  const chunks: Buffer[] = [];
  let from = size;
  let newlines = 0;
  for (;;) {
    while (from > 0 && newlines < want) {
      const length = Math.min(TAIL_CHUNK, from);
      from -= length;
      const buf = Buffer.allocUnsafe(length);
      const {bytesRead} = await fh.read(buf, 0, length, from);
      const chunk = buf.subarray(0, bytesRead);
      chunks.unshift(chunk);
      newlines += countNewlines(chunk);
    }
    if (!cri || from === 0 || tail === 0) break;
    // P chunks do not end a line: count the line ends (F, or unparsable lines) in hand.
    const data = Buffer.concat(chunks);
    chunks.length = 0;
    chunks.push(data);
    let ends = 0;
    let start = data.indexOf(NEWLINE) + 1;
    for (let nl = data.indexOf(NEWLINE, start); nl >= 0; start = nl + 1, nl = data.indexOf(NEWLINE, start)) {
      if (!isCriPartial(data, start, nl)) ends++;
    }
    if (ends >= tail + margin) break;
    want = newlines * 2;
  }
  const data = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const lastNewline = data.lastIndexOf(NEWLINE);
  if (lastNewline < 0) {
    // No complete line: all of it is the unfinished last line (or the part of it in hand, when tail is 0).
    splitter.hold(from === 0 ? Buffer.from(data) : Buffer.alloc(0));
    return !opts.follow && tail > 0 ? splitter.finish() : [];
  }
  splitter.hold(Buffer.from(data.subarray(lastNewline + 1)));
  if (tail === 0) return [];
  // From the middle of the file the first piece is a cut-off line: skip it.
  let start = from > 0 ? data.indexOf(NEWLINE) + 1 : 0;
  // Parse only what the tail needs: skip the complete lines before the last tail+margin line ends.
  const ends = (at: number) => {
    let n = 0;
    for (let nl = data.indexOf(NEWLINE, at); nl >= 0; at = nl + 1, nl = data.indexOf(NEWLINE, at)) {
      if (!cri || !isCriPartial(data, at, nl)) n++;
    }
    return n;
  };
  for (let extra = ends(start) - (tail + margin); extra > 0; ) {
    const nl = data.indexOf(NEWLINE, start);
    if (!cri || !isCriPartial(data, start, nl)) extra--;
    start = nl + 1;
  }
  const lines: LogLine[] = [];
  for (let nl = data.indexOf(NEWLINE, start); nl >= 0; start = nl + 1, nl = data.indexOf(NEWLINE, start)) {
    const whole = splitter.line(data, start, nl);
    if (whole) lines.push(whole);
  }
  // A file that will not be read again: its unfinished last line counts as a line.
  if (!opts.follow) lines.push(...splitter.finish());
  return lines.length > tail ? lines.slice(lines.length - tail) : lines;
}
