import {isUtf8} from 'node:buffer';

/**
 * The one gate between daemon text and the terminal. Every character a terminal would act on or
 * that hides itself becomes a visible escape, so a name can neither drive the terminal (OSC 0
 * titles, OSC 52 clipboard writes, OSC 8 links, colours, cursor moves) nor pass for another one
 * (backspaces, CR, bidi overrides, zero-width characters).
 */

/** A piece of screen text: daemon text as it is, or an escape standing for what was replaced. */
export interface TextPart {
  text: string;
  /** Drawn dimmed, so `\e` shown for an ESC is not read as the two characters a name holds. */
  escape?: true;
}

// C0, DEL and C1 (\p{Cc}); format characters (\p{Cf}: bidi controls, zero-width space and joiners,
// BOM, soft hyphen, tags); line and paragraph separators; the Hangul fillers, which draw as blanks
// that are not spaces; and surrogates left without their pair.
const UNSAFE_CLASS = '[\\p{Cc}\\p{Cf}\\u2028\\u2029\\u115f\\u1160\\u3164\\uffa0\\ud800-\\udfff]';
const UNSAFE = new RegExp(UNSAFE_CLASS, 'u');
const UNSAFE_ALL = new RegExp(UNSAFE_CLASS, 'gu');

const NAMED: Record<number, string> = {0x00: '\\0', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x1b: '\\e'};
const hex = (byte: number) => `\\x${byte.toString(16).padStart(2, '0')}`;

/** How one unsafe code point is shown. */
function escapeOf(cp: number): string {
  const named = NAMED[cp];
  if (named) return named;
  if (cp < 0x80) return hex(cp);
  // A C1 control shows as its two UTF-8 bytes, so it cannot look like a lone invalid byte (\x9b).
  if (cp <= 0x9f) return hex(0xc2) + hex(cp);
  // U+DC80..U+DCFF alone: a byte that was not UTF-8 (see decodeBytes).
  if (cp >= 0xdc80 && cp <= 0xdcff) return hex(cp - 0xdc00);
  return `\\u{${cp.toString(16)}}`;
}

/** Whether the text holds anything that sanitize would replace (the cheap check first). */
export function hasUnsafe(text: string): boolean {
  return UNSAFE.test(text);
}

/** The text as screen parts: safe runs as they are, each run of unsafe characters as one escape part. */
export function sanitize(text: string): TextPart[] {
  if (!UNSAFE.test(text)) return text ? [{text}] : [];
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(UNSAFE_ALL)) {
    if (m.index > at) parts.push({text: text.slice(at, m.index)});
    const esc = escapeOf(m[0].codePointAt(0)!);
    const prev = parts[parts.length - 1];
    if (prev?.escape && m.index === at) prev.text += esc;
    else parts.push({text: esc, escape: true});
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({text: text.slice(at)});
  return parts;
}

/** The plain-string form, for places that take only strings (the escapes are still visible text). */
export function safeText(text: string): string {
  return UNSAFE.test(text) ? joinParts(sanitize(text)) : text;
}

/** Bytes as screen parts: UTF-8 decoded here, so each invalid byte shows as `\xNN`. */
export function sanitizeBytes(bytes: Uint8Array): TextPart[] {
  return sanitize(decodeBytes(bytes));
}

export function safeBytesText(bytes: Uint8Array): string {
  return safeText(decodeBytes(bytes));
}

export function joinParts(parts: TextPart[]): string {
  return parts.length === 1 ? parts[0]!.text : parts.map((p) => p.text).join('');
}

/** The parts covering [start, end) of their joined text (code units), cut where needed. */
export function sliceParts(parts: TextPart[], start: number, end = Infinity): TextPart[] {
  const out: TextPart[] = [];
  let at = 0;
  for (const p of parts) {
    const from = Math.max(start, at);
    const to = Math.min(end, at + p.text.length);
    if (from < to) out.push(p.escape ? {text: p.text.slice(from - at, to - at), escape: true} : {text: p.text.slice(from - at, to - at)});
    at += p.text.length;
    if (at >= end) break;
  }
  return out;
}

/** Length of the well-formed UTF-8 sequence at i (Unicode table 3-7), 0 when there is none. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => i + j < b.length && b[i + j]! >= lo && b[i + j]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * UTF-8 to a string that keeps every byte: a byte that is not part of a well-formed sequence
 * becomes the lone surrogate U+DC80..U+DCFF (Python's "surrogateescape"), which sanitize shows as
 * `\xNN` and encodeBytes turns back into the byte.
 */
export function decodeBytes(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let run = 0;
  for (let i = 0; i < buf.length; ) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + String.fromCharCode(0xdc00 + buf[i]!);
    run = ++i;
  }
  return out + buf.toString('utf8', run);
}

/** The bytes decodeBytes read: UTF-8, with U+DC80..U+DCFF alone turned back into their byte. */
export function encodeBytes(text: string): Buffer {
  if (!/[\udc80-\udcff]/.test(text)) return Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  let at = 0;
  for (const m of text.matchAll(/(?<![\ud800-\udbff])[\udc80-\udcff]/g)) {
    chunks.push(Buffer.from(text.slice(at, m.index), 'utf8'), Buffer.from([m[0].charCodeAt(0) - 0xdc00]));
    at = m.index + 1;
  }
  chunks.push(Buffer.from(text.slice(at), 'utf8'));
  return Buffer.concat(chunks);
}
