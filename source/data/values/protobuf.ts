import {isUtf8} from 'node:buffer';
import {decodeBytes} from '../text/sanitize.js';

/** Protobuf wire types undock decodes (3 and 4, the deprecated groups, make a buffer "not a message"). */
export type WireType = 0 | 1 | 2 | 5;

/**
 * One field of a message decoded without its schema. `value` by wire type:
 * 0 varint: number (bigint above 2^53); 1 fixed64: bigint; 5 fixed32: number;
 * 2 length-delimited: string (valid, printable UTF-8), FieldNode[] (bytes that parse fully as a
 * message), else Buffer.
 */
export interface FieldNode {
  field: number;
  wireType: WireType;
  value: number | bigint | string | Buffer | FieldNode[];
}

const MAX_FIELD = 2 ** 29 - 1;

interface Cursor {
  pos: number;
}

/** A varint at the cursor, or undefined when the buffer ends inside it or it is over 10 bytes. */
function readVarint(buf: Buffer, at: Cursor): number | bigint | undefined {
  let result = 0;
  let shift = 0;
  let pos = at.pos;
  // the fast path: up to 7 bytes (49 bits) fit a double exactly
  while (pos < buf.length && shift < 49) {
    const b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      at.pos = pos;
      return result;
    }
    shift += 7;
  }
  let big = BigInt(result);
  let bigShift = BigInt(shift);
  while (pos < buf.length && pos - at.pos < 10) {
    const b = buf[pos++];
    big |= BigInt(b & 0x7f) << bigShift;
    if (b < 0x80) {
      at.pos = pos;
      big &= (1n << 64n) - 1n;
      return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    bigShift += 7n;
  }
  return undefined;
}

/** Text that reads as text: valid UTF-8 with no control characters other than tab, CR and LF. */
export function isPrintableText(buf: Buffer): boolean {
  if (!isUtf8(buf)) return false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    if (b === 0x7f) return false;
    // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8
    if (b === 0xc2 && i + 1 < buf.length && buf[i + 1] >= 0x80 && buf[i + 1] <= 0x9f) return false;
  }
  return true;
}

/** A field as it is on the wire: length-delimited values stay bytes (views into the input). */
export interface RawField {
  field: number;
  wireType: WireType;
  value: number | bigint | Buffer;
}

/**
 * The fields of `buf` read as one protobuf message, or undefined when it is not a well-formed one
 * (bad tag, wire type 3/4/6/7, field 0, a length past the end, a truncated value).
 */
export function readRawFields(buf: Buffer): RawField[] | undefined {
  const {fields, end} = readRawFieldsPrefix(buf);
  return end === buf.length ? fields : undefined;
}

/** The well-formed fields at the start of `buf`, and the offset where reading stopped (buf.length: all of it). */
export function readRawFieldsPrefix(buf: Buffer): {fields: RawField[]; end: number} {
  const fields: RawField[] = [];
  const at: Cursor = {pos: 0};
  let end = 0;
  while (at.pos < buf.length) {
    const tag = readVarint(buf, at);
    if (tag === undefined || typeof tag === 'bigint') break;
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field < 1 || field > MAX_FIELD) break;
    if (wireType === 0) {
      const v = readVarint(buf, at);
      if (v === undefined) break;
      fields.push({field, wireType, value: v});
    } else if (wireType === 1) {
      if (at.pos + 8 > buf.length) break;
      fields.push({field, wireType, value: buf.readBigUInt64LE(at.pos)});
      at.pos += 8;
    } else if (wireType === 5) {
      if (at.pos + 4 > buf.length) break;
      fields.push({field, wireType, value: buf.readUInt32LE(at.pos)});
      at.pos += 4;
    } else if (wireType === 2) {
      const len = readVarint(buf, at);
      if (len === undefined || typeof len === 'bigint' || at.pos + len > buf.length) break;
      fields.push({field, wireType, value: buf.subarray(at.pos, at.pos + len)});
      at.pos += len;
    } else break;
    end = at.pos;
  }
  return {fields, end};
}

/**
 * Decodes `buf` as a protobuf message without a schema, nested messages down to `depth` levels
 * (deeper length-delimited fields stay strings or bytes). Returns undefined when `buf` is not a
 * well-formed message.
 */
export function decodeFields(buf: Buffer, depth = 32): FieldNode[] | undefined {
  const raw = readRawFields(buf);
  if (!raw) return undefined;
  return raw.map((f) => (Buffer.isBuffer(f.value) ? {field: f.field, wireType: f.wireType, value: guessLengthDelimited(f.value, depth - 1)} : (f as FieldNode)));
}

/**
 * What a length-delimited field most likely holds. Printable UTF-8 is taken as a string first: a
 * nested message almost always has a control byte in it (a tag like 0x08 or a length under 32),
 * while text that happens to parse as fields is common for short strings.
 */
function guessLengthDelimited(bytes: Buffer, depth: number): string | Buffer | FieldNode[] {
  if (bytes.length === 0) return '';
  if (isPrintableText(bytes)) return bytes.toString('utf8');
  if (depth > 0) {
    const nested = decodeFields(bytes, depth);
    if (nested && nested.length > 0) return nested;
  }
  return Buffer.from(bytes);
}

/** The first length-delimited string of `field` in a decoded message. */
export function stringField(fields: FieldNode[] | undefined, field: number): string | undefined {
  const f = fields?.find((x) => x.field === field && x.wireType === 2);
  if (!f) return undefined;
  if (typeof f.value === 'string') return f.value;
  // Invalid bytes are kept (as lone surrogates the sanitiser shows as \xNN), not turned into U+FFFD.
  if (Buffer.isBuffer(f.value)) return decodeBytes(f.value);
  return undefined;
}

/** Every string anywhere in a decoded tree, depth first (for search and tests). */
export function allStrings(fields: FieldNode[]): string[] {
  const out: string[] = [];
  const walk = (list: FieldNode[]) => {
    for (const f of list) {
      if (typeof f.value === 'string') out.push(f.value);
      else if (Array.isArray(f.value)) walk(f.value);
    }
  };
  walk(fields);
  return out;
}
