// Reading the last lines of a log file backwards from its end, however big the file is and however long its lines.
import type fs from 'node:fs';
import type {LogLine} from './cri-log.js';
import {isCriPartial, NEWLINE, type LineSplitter} from './lines.js';

// Reading backwards for the tail: lines are usually far shorter than this; a long one grows the reads.
const TAIL_CHUNK = 64 * 1024;
const MAX_TAIL_CHUNK = 1024 * 1024;
// Reading forwards from where the tail starts.
const FORWARD_CHUNK = 256 * 1024;
// Enough of a CRI line's start to hold its time, stream and tag.
const CRI_HEAD = 64;

export interface TailOptions {
  format: 'cri' | 'plain';
  /** How many of the last lines (finite; 0: none). */
  tail: number;
  /** The file will be read on: its unfinished last line waits for the rest rather than counting as a line. */
  follow: boolean;
}

type FileHandle = fs.promises.FileHandle;

/** Whether the CRI line starting at `at` in `chunk` (continued by `next`, the following bytes) is a P chunk. */
function partialAt(chunk: Buffer, at: number, next: Buffer): boolean {
  const head = Buffer.concat([chunk.subarray(at, at + CRI_HEAD), next]).subarray(0, CRI_HEAD);
  const nl = head.indexOf(NEWLINE);
  return isCriPartial(head, 0, nl < 0 ? head.length : nl);
}

/**
 * Where the last `want` complete lines (CRI: line ends, not P chunks) start, found scanning backwards
 * from `size` without keeping what was read: one chunk in hand, whatever the lines' length. The
 * first is where reading starts; the others let the reader jump over the rest of a cut line.
 * `want` 0: where the unfinished last line starts.
 */
async function lineStarts(fh: FileHandle, size: number, want: number, cri: boolean): Promise<number[]> {
  const starts: number[] = [];
  let pos = size;
  let ends = 0;
  // The first newline found (from the end) starts the unfinished last line; the later ones start complete lines.
  let seenNewline = false;
  let next = Buffer.alloc(0);
  let chunkSize = TAIL_CHUNK;
  let buf = Buffer.alloc(0);
  while (pos > 0) {
    const length = Math.min(chunkSize, pos);
    pos -= length;
    if (buf.length < length) buf = Buffer.allocUnsafe(length);
    const {bytesRead} = await fh.read(buf, 0, length, pos);
    const chunk = buf.subarray(0, bytesRead);
    for (let i = chunk.lastIndexOf(NEWLINE); i >= 0; i = i > 0 ? chunk.lastIndexOf(NEWLINE, i - 1) : -1) {
      starts.unshift(pos + i + 1);
      if (!seenNewline) {
        seenNewline = true;
        if (want === 0) return starts;
        continue;
      }
      if (!cri || !partialAt(chunk, i + 1, next)) ends++;
      if (ends >= want) return starts;
    }
    // Copied: the buffer is read into again.
    if (cri) next = Buffer.concat([chunk.subarray(0, CRI_HEAD), next]).subarray(0, CRI_HEAD);
    chunkSize = Math.min(chunkSize * 2, MAX_TAIL_CHUNK);
  }
  starts.unshift(0);
  return starts;
}

/**
 * The last `tail` lines of an open file of `size` bytes: where they start is found backwards from the
 * end, so a huge file opens as fast as a small one, then they are read forwards through the splitter
 * (which cuts over-long lines as it reads). Leaves the unfinished last line in the splitter, for the
 * forward reads from `size` on.
 */
export async function readTail(fh: FileHandle, size: number, opts: TailOptions, splitter: LineSplitter): Promise<LogLine[]> {
  const tail = Math.max(0, Math.floor(opts.tail));
  const cri = opts.format === 'cri';
  // One line more than wanted: from the middle of a file the first line may be a cut-off one. CRI:
  // one more per stream, so a line whose first chunks were cut off mostly falls outside the tail.
  const margin = cri ? 2 : 1;
  const starts = await lineStarts(fh, size, tail === 0 ? 0 : tail + margin, cri);
  let pos = starts[0]!;
  let next = 1;
  const lines: LogLine[] = [];
  const buf = Buffer.allocUnsafe(FORWARD_CHUNK);
  while (pos < size) {
    if (splitter.skipping) {
      // The rest of a cut line is not shown: go straight to the next line's start (or past the end).
      while (next < starts.length && starts[next]! <= pos) next++;
      if (next === starts.length) break;
      pos = starts[next]!;
      splitter.atLineStart();
    }
    const {bytesRead} = await fh.read(buf, 0, Math.min(FORWARD_CHUNK, size - pos), pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    for (const l of splitter.split(buf.subarray(0, bytesRead))) lines.push(l);
    if (lines.length > 2 * tail + 64) lines.splice(0, lines.length - tail);
  }
  // A file that will not be read again: its unfinished last line counts as a line.
  if (!opts.follow) lines.push(...splitter.finish());
  if (tail === 0) return [];
  return lines.length > tail ? lines.slice(lines.length - tail) : lines;
}
