// Turning the bytes of a log file into lines: plain text split at newlines, CRI records parsed and their chunks joined.
import {decodeBytes} from '../text/sanitize.js';
import {CriLogParser, CUT_MARK, MAX_LINE_BYTES, type LogLine} from './cri-log.js';

export {CUT_MARK, MAX_LINE_BYTES};
export const NEWLINE = 0x0a;

/** `end`, or less, so that start..end does not split a UTF-8 character. */
function utf8Cut(buf: Buffer, start: number, end: number): number {
  if (end >= buf.length) return buf.length;
  let i = end;
  while (i > start && (buf[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** The tag field of a CRI line says whether it is a chunk (P) of a longer line; cheap, without parsing the time. */
export function isCriPartial(buf: Buffer, start: number, end: number): boolean {
  const s1 = buf.indexOf(0x20, start);
  if (s1 < 0 || s1 >= end) return false;
  const s2 = buf.indexOf(0x20, s1 + 1);
  return s2 >= 0 && s2 + 1 < end && buf[s2 + 1] === 0x50 /* P */ && (s2 + 2 === end || buf[s2 + 2] === 0x20 || buf[s2 + 2] === 0x3a);
}

/**
 * The lines of one file read in pieces: what a piece leaves unfinished waits for the next one. A
 * line longer than the bound is cut as it is read (its start and a marker are handed over at
 * once, the rest is skipped up to its newline): a 50 MB line is never held, in any form.
 */
export class LineSplitter {
  private readonly format: 'cri' | 'plain';
  private readonly parser = new CriLogParser();
  /** The bytes of a line whose newline has not arrived yet (at most maxBytes). */
  private carry: Buffer = Buffer.alloc(0);
  /** Inside a line already cut: bytes up to its newline are dropped. */
  private skippingLine = false;
  /** A physical line's bound: a CRI record is a 16 KiB chunk after its time, stream and tag. */
  private readonly maxBytes: number;

  constructor(format: 'cri' | 'plain') {
    this.format = format;
    this.maxBytes = format === 'cri' ? MAX_LINE_BYTES + 1024 : MAX_LINE_BYTES;
  }

  /** Forgets the unfinished line and CRI chunks: reading starts over at the beginning of a file. */
  reset(): void {
    this.carry = Buffer.alloc(0);
    this.skippingLine = false;
    this.parser.reset();
  }

  /** Inside a cut line: what follows up to its newline is dropped. */
  get skipping(): boolean {
    return this.skippingLine;
  }

  /** The next bytes split start a line (the reader jumped over the rest of a cut one). */
  atLineStart(): void {
    this.skippingLine = false;
  }

  /** One physical line (start to end, without its newline), cut at the bound; undefined for a CRI chunk that does not finish a line. */
  private line(buf: Buffer, start: number, end: number): LogLine | undefined {
    const cut = end - start > this.maxBytes;
    if (cut) end = utf8Cut(buf, start, start + this.maxBytes);
    // A container with a terminal writes \r\n.
    else if (this.format === 'plain' && end > start && buf[end - 1] === 0x0d) end--;
    // Invalid UTF-8 is kept byte for byte (shown as \xNN, saved as it was), not turned into U+FFFD.
    const text = decodeBytes(buf.subarray(start, end)) + (cut ? CUT_MARK : '');
    return this.format === 'plain' ? {text} : this.parser.push(text);
  }

  /** The lines that fresh bytes complete. */
  split(fresh: Buffer): LogLine[] {
    const lines: LogLine[] = [];
    let from = 0;
    if (this.skippingLine) {
      const nl = fresh.indexOf(NEWLINE);
      if (nl < 0) return lines;
      this.skippingLine = false;
      from = nl + 1;
    }
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, fresh.subarray(from)]) : fresh;
    let start = this.carry.length > 0 ? 0 : from;
    for (let nl = data.indexOf(NEWLINE, start); nl >= 0; start = nl + 1, nl = data.indexOf(NEWLINE, start)) {
      const whole = this.line(data, start, nl);
      if (whole) lines.push(whole);
    }
    if (data.length - start > this.maxBytes) {
      // Too long already: its start now, the rest skipped (a progress bar redrawn with \r never ends).
      const whole = this.line(data, start, data.length);
      if (whole) lines.push(whole);
      this.carry = Buffer.alloc(0);
      this.skippingLine = true;
    } else {
      // Copied: the read buffer is reused.
      this.carry = Buffer.from(data.subarray(start));
    }
    return lines;
  }

  /** What is left when a file is done with: the unfinished last line and unfinished CRI chunks. */
  finish(): LogLine[] {
    const lines: LogLine[] = [];
    if (this.carry.length > 0) {
      const whole = this.line(this.carry, 0, this.carry.length);
      if (whole) lines.push(whole);
    }
    this.carry = Buffer.alloc(0);
    this.skippingLine = false;
    if (this.format === 'cri') lines.push(...this.parser.flush());
    return lines;
  }
}
