import {isUtf8} from 'node:buffer';
import {encryptedAtRest, type EncryptedAtRest} from '../k8s/encryption.js';
import {readK8sObject} from '../k8s/object.js';
import {decodeBytes} from '../text/sanitize.js';
import {scanJson} from './json-text.js';
import {decodeFields, readRawFieldsPrefix, stringField, type FieldNode} from './protobuf.js';

export type ValueKind = 'empty' | 'text' | 'json' | 'yaml' | 'binary' | 'k8s' | 'encrypted';

/** A Kubernetes object decoded with undock's protos (k8s protobuf) or parsed (JSON-stored). */
export interface K8sObject {
  encoding: 'protobuf' | 'json';
  apiVersion: string;
  kind: string;
  /** kubectl's JSON of it; for a kind without a schema, apiVersion, kind and metadata only */
  object: Record<string, unknown>;
  /** undock has this kind's schema */
  known: boolean;
}

export interface K8sValue {
  apiVersion: string;
  kind: string;
  /** runtime.Unknown's contentEncoding and contentType, when set */
  contentEncoding?: string;
  contentType?: string;
  /** the object's protobuf decoded without its schema; empty when it did not parse */
  object: FieldNode[];
  /** the object's bytes, when they did not parse as protobuf */
  raw?: Buffer;
  /** bytes after the envelope that are not a whole field (a stray newline, say): left undecoded */
  trailingBytes?: number;
}

export interface ValueDescription {
  kind: ValueKind;
  /** the full value's size in bytes, whatever part of it is shown */
  size: number;
  /** text, YAML, or pretty JSON (numbers kept exactly as written); a prefix when truncated */
  text?: string;
  /** JSON: how deeply its arrays and objects nest (deeper than 64 levels is shown compact) */
  depth?: number;
  k8s?: K8sValue;
  /** the object with field names: a k8s value that decoded, or JSON with apiVersion and kind */
  object?: K8sObject;
  /** why a k8s value of a known kind did not decode with its schema (the field tree is shown) */
  objectError?: string;
  /** `k8s:enc:...`: what kube-apiserver encrypted it with */
  encrypted?: EncryptedAtRest;
  /** hexdump -C style lines (offset, 16 bytes in hex, ASCII) of the first bytes */
  hex?: string;
  /** `text` or `hex` shows only the start of the value */
  truncated: boolean;
}

export interface DescribeOptions {
  /** bytes of text shown at most (default 256 KiB) */
  maxTextBytes?: number;
  /** bytes of a binary value dumped at most (default 4 KiB) */
  maxHexBytes?: number;
}

/** Kubernetes' protobuf storage prefix: "k8s" and a zero byte. */
export const K8S_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
/** JSON is checked (and pretty-printed) only up to this size; larger values show as text. */
const MAX_PARSE_BYTES = 8 * 1024 * 1024;
/** A JSON value is read as a Kubernetes object up to this size (etcd's default request limit is 1.5 MiB). */
const MAX_OBJECT_BYTES = 2 * 1024 * 1024;
/** Nesting past this is written compactly: indentation grows with depth squared. */
export const MAX_INDENT_DEPTH = 64;

/** Says what a value is and how to show it: k8s protobuf, JSON, YAML, text, or a hex dump. */
export function describeValue(value: Buffer, opts: DescribeOptions = {}): ValueDescription {
  const maxText = opts.maxTextBytes ?? 256 * 1024;
  const maxHex = opts.maxHexBytes ?? 4096;
  const size = value.length;
  if (size === 0) return {kind: 'empty', size, truncated: false};

  const encrypted = encryptedAtRest(value);
  if (encrypted) return {kind: 'encrypted', size, encrypted, truncated: false};
  if (size >= K8S_MAGIC.length && value.subarray(0, 4).equals(K8S_MAGIC)) {
    const k8s = decodeK8sEnvelope(value.subarray(4));
    if (k8s) return {kind: 'k8s', size, k8s, truncated: false, ...k8sObject(value)};
  }

  const head = size > maxText ? utf8Prefix(value, maxText) : value;
  const wholeIsText = size <= MAX_PARSE_BYTES ? isUtf8(value) : isUtf8(head);
  if (wholeIsText && looksLikeText(head)) {
    const full = size <= MAX_PARSE_BYTES ? value.toString('utf8') : undefined;
    const trimmed = (full ?? head.toString('utf8')).trimStart();
    if (full !== undefined && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      // Checked and pretty-printed in one bounded pass; the value itself is never built here.
      const scan = scanJson(full, {maxChars: maxText, maxIndentDepth: MAX_INDENT_DEPTH});
      if (scan.valid) {
        const shown = clip(scan.text, maxText);
        const out: ValueDescription = {kind: 'json', size, depth: scan.depth, text: shown.text, truncated: shown.truncated || scan.truncated};
        // JSON-stored objects (CRDs, clusters before 1.6): a tree only for the depth the YAML indents
        if (scan.depth <= MAX_INDENT_DEPTH && size <= MAX_OBJECT_BYTES && /"apiVersion"/.test(full) && /"kind"/.test(full)) {
          const {object} = k8sObject(value);
          if (object) return {...out, object, truncated: false};
        }
        return out;
      }
      // not JSON after all: text or YAML below
    }
    const text = head.toString('utf8');
    return {kind: looksLikeYaml(text) ? 'yaml' : 'text', size, text, truncated: head.length < size};
  }

  const shown = value.subarray(0, maxHex);
  return {kind: 'binary', size, hex: hexDump(shown), truncated: shown.length < size};
}

function k8sObject(value: Buffer): Pick<ValueDescription, 'object' | 'objectError'> {
  const r = readK8sObject(value);
  if (!r.ok) return {objectError: r.reason};
  return {object: {encoding: r.encoding, apiVersion: r.apiVersion, kind: r.kind, object: r.object, known: r.known}};
}

function clip(text: string, maxBytes: number): {text: string; truncated: boolean} {
  if (Buffer.byteLength(text) <= maxBytes) return {text, truncated: false};
  return {text: utf8Prefix(Buffer.from(text), maxBytes).toString('utf8'), truncated: true};
}

/** The first `max` bytes, cut back to a UTF-8 character boundary. */
function utf8Prefix(buf: Buffer, max: number): Buffer {
  let end = Math.min(max, buf.length);
  if (end < buf.length) {
    // step back over continuation bytes (10xxxxxx) and the lead byte of the cut character
    let i = end;
    while (i > 0 && (buf[i] & 0xc0) === 0x80) i--;
    end = i;
  }
  return buf.subarray(0, end);
}

/** Text, not binary that happens to be valid UTF-8: no NUL, and hardly any control characters. */
function looksLikeText(buf: Buffer): boolean {
  let controls = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === 0) return false;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1b) || b === 0x7f) controls++;
  }
  return controls * 100 <= buf.length;
}

const YAML_LINE = /^(\s*)(- +)?(("[^"]*"|'[^']*'|[^\s#:'"{}[\],&*!|>%@`-][^:#]*?)\s*:(\s|$)|- |-$)/;

/**
 * YAML, by shape: a "---" start, or at least two lines where most non-empty, non-comment lines are
 * `key: value`, `key:` or `- item` (continuation lines of block scalars and flow values aside), and
 * at least one is a mapping key. Plain sentences rarely pass ("Note: ..." alone is one line).
 */
export function looksLikeYaml(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (lines.length === 0) return false;
  if (lines[0].trim() === '---' && lines.length > 1) return true;
  if (lines.length < 2) return false;
  let structured = 0;
  let keys = 0;
  let inBlock = -1; // indentation of a block scalar's key (`key: |`), whose lines are free text
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (inBlock >= 0 && indent > inBlock) {
      structured++;
      continue;
    }
    inBlock = -1;
    const m = YAML_LINE.exec(line);
    if (!m) continue;
    structured++;
    if (m[4] !== undefined) keys++;
    if (/:\s*[|>][-+]?\s*$/.test(line)) inBlock = indent;
  }
  return keys > 0 && structured / lines.length >= 0.8;
}

/**
 * Re-indents JSON text without parsing numbers (JSON.parse would round integers above 2^53, like
 * Kubernetes' resourceVersion or a uint64 id). Text that is not JSON comes back as it is.
 */
export function prettyJson(text: string, indent = 2): string {
  const scan = scanJson(text, {indent, maxIndentDepth: MAX_INDENT_DEPTH});
  return scan.valid ? scan.text : text;
}

/** hexdump -C lines: 8-digit hex offset, 16 bytes in two groups of 8, and the printable ASCII. */
export function hexDump(buf: Buffer, startOffset = 0): string {
  const lines: string[] = [];
  for (let off = 0; off < buf.length; off += 16) {
    const row = buf.subarray(off, off + 16);
    const hex: string[] = [];
    for (let i = 0; i < 16; i++) {
      hex.push(i < row.length ? row[i].toString(16).padStart(2, '0') : '  ');
      if (i === 7) hex.push('');
    }
    let ascii = '';
    for (const b of row) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    lines.push(`${(startOffset + off).toString(16).padStart(8, '0')}  ${hex.join(' ')}  |${ascii}|`);
  }
  return lines.join('\n');
}

/**
 * runtime.Unknown, the envelope kube-apiserver stores after "k8s\0": 1 TypeMeta {1 apiVersion,
 * 2 kind}, 2 raw (the object's own protobuf), 3 contentEncoding, 4 contentType. Bytes after the
 * last whole field are tolerated and counted (the shared test Pod ends in a newline).
 */
export function decodeK8sEnvelope(buf: Buffer): K8sValue | undefined {
  const {fields: envelope, end} = readRawFieldsPrefix(buf);
  const bytesOf = (field: number) => {
    const f = envelope.find((x) => x.field === field && x.wireType === 2);
    return f && Buffer.isBuffer(f.value) ? f.value : undefined;
  };
  const typeMetaBytes = bytesOf(1);
  const typeMeta = typeMetaBytes ? decodeFields(typeMetaBytes, 1) : undefined;
  if (!typeMeta) return undefined;
  const out: K8sValue = {apiVersion: stringField(typeMeta, 1) ?? '', kind: stringField(typeMeta, 2) ?? '', object: []};
  if (end < buf.length) out.trailingBytes = buf.length - end;
  const [encodingBytes, typeBytes] = [bytesOf(3), bytesOf(4)];
  const contentEncoding = encodingBytes && decodeBytes(encodingBytes);
  const contentType = typeBytes && decodeBytes(typeBytes);
  if (contentEncoding) out.contentEncoding = contentEncoding;
  if (contentType) out.contentType = contentType;
  const raw = bytesOf(2);
  if (raw && raw.length) {
    const object = decodeFields(raw);
    if (object) out.object = object;
    else out.raw = Buffer.from(raw);
  }
  return out;
}
