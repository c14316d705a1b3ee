// Turning the bytes of a log file into lines: plain text split at newlines, CRI records parsed and their chunks joined.
import {decodeBytes} from '../text/sanitize.js';
import {CriLogParser, type LogLine} from './cri-log.js';

// A "line" that never ends (a progress bar redrawn with \r) is cut here rather than kept growing.
const MAX_LINE_BYTES = 1024 * 1024;
export const NEWLINE = 0x0a;

function plainLine(buf: Buffer, start: number, end: number): LogLine {
  // A container with a terminal writes \r\n.
  if (end > start && buf[end - 1] === 0x0d) end--;
  // Invalid UTF-8 is kept byte for byte (shown as \xNN, saved as it was), not turned into U+FFFD.
  return {text: decodeBytes(buf.subarray(start, end))};
}

/** The tag field of a CRI line says whether it is a chunk (P) of a longer line; cheap, without parsing the time. */
export function isCriPartial(buf: Buffer, start: number, end: number): boolean {
  const s1 = buf.indexOf(0x20, start);
  if (s1 < 0 || s1 >= end) return false;
  const s2 = buf.indexOf(0x20, s1 + 1);
  return s2 >= 0 && s2 + 1 < end && buf[s2 + 1] === 0x50 /* P */ && (s2 + 2 === end || buf[s2 + 2] === 0x20 || buf[s2 + 2] === 0x3a);
}

/** The lines of one file read in pieces: what a piece leaves unfinished waits for the next one. */
export class LineSplitter {
  private readonly format: 'cri' | 'plain';
  private readonly parser = new CriLogParser();
  /** The bytes of a line whose newline has not arrived yet. */
  private carry: Buffer = Buffer.alloc(0);

  constructor(format: 'cri' | 'plain') {
    this.format = format;
  }

  /** Forgets the unfinished line and CRI chunks: reading starts over at the beginning of a file. */
  reset(): void {
    this.carry = Buffer.alloc(0);
    this.parser.reset();
  }

  /** Keeps bytes read without their newline, to be continued by the next split (or ended by finish). */
  hold(rest: Buffer): void {
    this.carry = rest;
  }

  /** One physical line (start to end, without its newline); undefined for a CRI chunk that does not finish a line. */
  line(buf: Buffer, start: number, end: number): LogLine | undefined {
    if (this.format === 'plain') return plainLine(buf, start, end);
    return this.parser.push(decodeBytes(buf.subarray(start, end)));
  }

  /** The lines that fresh bytes complete. */
  split(fresh: Buffer): LogLine[] {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, fresh]) : fresh;
    const lines: LogLine[] = [];
    let start = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; start = nl + 1, nl = data.indexOf(NEWLINE, start)) {
      const whole = this.line(data, start, nl);
      if (whole) lines.push(whole);
    }
    // Copied: the read buffer is reused.
    this.carry = Buffer.from(data.subarray(start));
    if (this.carry.length > MAX_LINE_BYTES) {
      lines.push(this.format === 'plain' ? plainLine(this.carry, 0, this.carry.length) : {text: decodeBytes(this.carry)});
      this.carry = Buffer.alloc(0);
    }
    return lines;
  }

  /** What is left when a file is done with: the unfinished last line and unfinished CRI chunks. */
  finish(): LogLine[] {
    const lines: LogLine[] = [];
    if (this.carry.length > 0) {
      const whole = this.line(this.carry, 0, this.carry.length);
      if (whole) lines.push(whole);
      this.carry = Buffer.alloc(0);
    }
    if (this.format === 'cri') lines.push(...this.parser.flush());
    return lines;
  }
}
