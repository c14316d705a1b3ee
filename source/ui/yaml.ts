/** A piece of a rendered line and its colour. */
export interface Segment {
  text: string;
  color?: 'cyan' | 'green' | 'magenta' | 'yellow' | 'gray';
}
export type Line = Segment[];

const PLAIN = /^[A-Za-z_/][\w./:@+-]*$/;
const NEEDS_QUOTES = /^(true|false|null|yes|no|on|off|~|-?\d[\d_.eE+-]*)$/i;

function scalar(v: unknown): Segment {
  if (v === null || v === undefined) return {text: 'null', color: 'gray'};
  if (typeof v === 'number' || typeof v === 'bigint') return {text: String(v), color: 'magenta'};
  if (typeof v === 'boolean') return {text: String(v), color: 'yellow'};
  if (v instanceof Date) return {text: v.toISOString(), color: 'green'};
  const s = String(v);
  if (s !== '' && PLAIN.test(s) && !NEEDS_QUOTES.test(s)) return {text: s, color: 'green'};
  return {text: JSON.stringify(s), color: 'green'};
}

function key(k: string): Segment {
  return {text: PLAIN.test(k) && !NEEDS_QUOTES.test(k) ? k : JSON.stringify(k), color: 'cyan'};
}

function isEmptyContainer(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

function normalise(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  return v;
}

/** Renders a value as YAML lines with colour segments (keys cyan, strings green, numbers magenta). */
export function toYamlLines(value: unknown, indent = ''): Line[] {
  const v = normalise(value);
  const lines: Line[] = [];
  if (Array.isArray(v)) {
    if (v.length === 0) return [[{text: indent}, {text: '[]', color: 'gray'}]];
    for (const item0 of v) {
      const item = normalise(item0);
      if ((isObject(item) || Array.isArray(item)) && !isEmptyContainer(item)) {
        const inner = toYamlLines(item, indent + '  ');
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
        for (const l of toYamlLines(x, Array.isArray(x) ? indent : indent + '  ')) lines.push(l);
      } else if (typeof x === 'string' && x.includes('\n')) {
        lines.push([{text: indent}, key(k), {text: ': |'}]);
        for (const l of x.replace(/\n$/, '').split('\n')) lines.push([{text: `${indent}  `}, {text: l, color: 'green'}]);
      } else {
        const val = isEmptyContainer(x) ? {text: Array.isArray(x) ? '[]' : '{}', color: 'gray' as const} : scalar(x);
        lines.push([{text: indent}, key(k), {text: ': '}, val]);
      }
    }
    return lines;
  }
  return [[{text: indent}, scalar(v)]];
}

/** JSON with the same colouring, for `y`. */
export function toJsonLines(value: unknown): Line[] {
  const text = JSON.stringify(value, (_k, v) => (Buffer.isBuffer(v) || (v && v.type === 'Buffer' && Array.isArray(v.data)) ? `<${(v.data ?? v).length} bytes>` : v), 2) ?? 'null';
  return colorJsonText(text);
}

/** Colours already indented JSON text line by line (keys cyan, strings green, numbers magenta). */
export function colorJsonText(text: string): Line[] {
  return text.split('\n').map((l) => {
    const m = /^(\s*)("(?:[^"\\]|\\.)*")(: )?(.*)$/.exec(l);
    if (m && m[3]) return [{text: m[1]!}, {text: m[2]!, color: 'cyan'}, {text: m[3]}, {text: m[4]!, color: valueColor(m[4]!)}];
    return [{text: l, color: valueColor(l.trim())}];
  });
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
