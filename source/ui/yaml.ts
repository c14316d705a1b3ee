import {Note} from '../data/k8s/display.js';
import {hasUnsafe, sanitize} from '../data/text/sanitize.js';

/** A piece of a rendered line and its colour; `escape` marks what sanitising put in (drawn dimmed). */
export interface Segment {
  text: string;
  color?: 'cyan' | 'green' | 'magenta' | 'yellow' | 'gray';
  escape?: true;
}
export type Line = Segment[];

/** A line with every segment sanitised, colours kept: what a value or describe view may draw. */
export function safeLine(line: Line): Line {
  if (!line.some((s) => hasUnsafe(s.text))) return line;
  return line.flatMap((s) => (hasUnsafe(s.text) ? sanitize(s.text).map((p) => ({...p, color: s.color})) : [s]));
}

/** A double-quoted scalar: quotes and backslashes escaped; control characters are left to safeLine. */
function quote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

const PLAIN_KEY = /^[A-Za-z_/][\w./:@+-]*$/;
/** What YAML 1.1 would read as something else than a string (kubectl's go-yaml quotes these). */
const NOT_A_STRING = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?\.(inf|nan)|0x[\da-f_]+|0o?[0-7_]+|\d{4}-\d\d?-\d\d?([Tt ].*)?)$/i;
const FIRST_INDICATOR = /^[#,[\]{}&*!|>'"%@`]|^[-?:](\s|$)/;

function looksLikeNumber(s: string): boolean {
  const n = s.replace(/_/g, '');
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(n);
}

/** A string go-yaml writes without quotes in a block: no indicator first, no ": " or " #", not another type's text. */
function plain(s: string): boolean {
  if (s === '' || s.trim() !== s || hasUnsafe(s) || /[\t\n\r]/.test(s)) return false;
  if (FIRST_INDICATOR.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  return !NOT_A_STRING.test(s) && !looksLikeNumber(s);
}

function scalar(v: unknown): Segment {
  if (v instanceof Note) return {text: v.text, color: 'gray'};
  if (v === null || v === undefined) return {text: 'null', color: 'gray'};
  if (typeof v === 'number' || typeof v === 'bigint') return {text: String(v), color: 'magenta'};
  if (typeof v === 'boolean') return {text: String(v), color: 'yellow'};
  if (v instanceof Date) return {text: v.toISOString(), color: 'green'};
  const s = String(v);
  return {text: plain(s) ? s : quote(s), color: 'green'};
}

function key(k: string): Segment {
  return {text: PLAIN_KEY.test(k) && plain(k) ? k : quote(k), color: 'cyan'};
}

function isEmptyContainer(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v) && !(v instanceof Note);
}

function normalise(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return v;
}

/** Renders a value as YAML lines with colour segments (keys cyan, strings green, numbers magenta), sanitised. */
export function toYamlLines(value: unknown): Line[] {
  return yamlLines(value, '').map(safeLine);
}

function yamlLines(value: unknown, indent: string): Line[] {
  const v = normalise(value);
  const lines: Line[] = [];
  if (Array.isArray(v)) {
    if (v.length === 0) return [[{text: indent}, {text: '[]', color: 'gray'}]];
    for (const item0 of v) {
      const item = normalise(item0);
      if ((isObject(item) || Array.isArray(item)) && !isEmptyContainer(item)) {
        const inner = yamlLines(item, indent + '  ');
        // The first line of the item shares the dash.
        lines.push([{text: `${indent}- `}, ...inner[0]!.slice(1)]);
        // One push a line: spreading a list of 100,000 lines overflows the stack.
        for (let n = 1; n < inner.length; n++) lines.push(inner[n]!);
      } else {
        lines.push([{text: `${indent}- `}, isEmptyContainer(item) ? {text: Array.isArray(item) ? '[]' : '{}', color: 'gray'} : scalar(item)]);
      }
    }
    return lines;
  }
  if (isObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return [[{text: indent}, {text: '{}', color: 'gray'}]];
    for (const [k, x0] of entries) {
      const x = normalise(x0);
      if ((isObject(x) || Array.isArray(x)) && !isEmptyContainer(x)) {
        lines.push([{text: indent}, key(k), {text: ':'}]);
        for (const l of yamlLines(x, Array.isArray(x) ? indent : indent + '  ')) lines.push(l);
      } else if (typeof x === 'string' && x.includes('\n')) {
        lines.push([{text: indent}, key(k), {text: ': |'}]);
        for (const l of x.replace(/\r?\n$/, '').split(/\r?\n/)) lines.push([{text: `${indent}  `}, {text: l, color: 'green'}]);
      } else {
        const val = isEmptyContainer(x) ? {text: Array.isArray(x) ? '[]' : '{}', color: 'gray' as const} : scalar(x);
        lines.push([{text: indent}, key(k), {text: ': '}, val]);
      }
    }
    return lines;
  }
  return [[{text: indent}, scalar(v)]];
}

/** JSON with the same colouring, for `y` (JSON.stringify escapes C0 itself; safeLine the rest). */
export function toJsonLines(value: unknown): Line[] {
  // A bigint (a protobuf fixed64) would make JSON.stringify throw: it is written as its digits, quoted.
  const text =
    JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) || (v && v.type === 'Buffer' && Array.isArray(v.data)) ? `<${(v.data ?? v).length} bytes>` : v), 2) ?? 'null';
  return colorJsonText(text);
}

/** Colours already indented JSON text line by line (keys cyan, strings green, numbers magenta), sanitised. */
export function colorJsonText(text: string): Line[] {
  return text.split('\n').map((l) => safeLine(colorJsonLine(l)));
}

function colorJsonLine(l: string): Line {
  const m = /^(\s*)("(?:[^"\\]|\\.)*")(: )?(.*)$/.exec(l);
  if (m && m[3]) return [{text: m[1]!}, {text: m[2]!, color: 'cyan'}, {text: m[3]}, {text: m[4]!, color: valueColor(m[4]!)}];
  return [{text: l, color: valueColor(l.trim())}];
}

function valueColor(v: string): Segment['color'] {
  if (v.startsWith('"')) return 'green';
  if (/^-?\d/.test(v)) return 'magenta';
  if (/^(true|false)/.test(v)) return 'yellow';
  if (v.startsWith('null')) return 'gray';
  return undefined;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}
