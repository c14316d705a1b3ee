import stringWidth from 'string-width';
import type {AnyResource, Column} from './types.js';

/** The columns a view shows: the namespace column only when it lists every namespace. */
export function visibleColumns(resource: AnyResource, allNamespaces: boolean): Column<unknown>[] {
  return resource.columns.filter((c) => allNamespaces || !c.allNamespacesOnly);
}

export interface RowView {
  row: unknown;
  cells: string[];
}

/** Parses the / filter: "text", "!text" (inverted), "-l key=value[,key2=value2]" (labels). */
export function makeFilter(resource: AnyResource, filter: string): (row: unknown, cells: string[]) => boolean {
  const f = filter.trim();
  if (!f) return () => true;
  const label = /^-l\s+(.+)$/.exec(f);
  if (label) {
    const wanted = label[1]!.split(',').map((p) => {
      const [k, v] = p.split('=');
      return {k: k!.trim(), v: v?.trim()};
    });
    return (row) => {
      const labels = resource.labels?.(row) ?? {};
      return wanted.every(({k, v}) => (v === undefined ? k in labels : labels[k] === v));
    };
  }
  const inverted = f.startsWith('!');
  const needle = (inverted ? f.slice(1) : f).toLowerCase();
  return (_row, cells) => {
    const hit = cells.some((c) => c.toLowerCase().includes(needle));
    return inverted ? !hit : hit;
  };
}

/** Renders every row's cells, filters and sorts them: what the table shows, in order. */
export function viewRows(
  resource: AnyResource,
  rows: unknown[],
  opts: {filter: string; sort: {column: string; descending: boolean}; now: number; columns?: Column<unknown>[]},
): RowView[] {
  const columns = opts.columns ?? resource.columns;
  const keep = makeFilter(resource, opts.filter);
  const out: RowView[] = [];
  for (const row of rows) {
    const cells = columns.map((c) => c.cell(row, opts.now));
    if (keep(row, cells)) out.push({row, cells});
  }
  const idx = columns.findIndex((c) => c.id === opts.sort.column);
  if (idx >= 0) {
    const col = columns[idx]!;
    const key = col.sortValue ?? ((r: unknown) => col.cell(r, opts.now));
    const dir = opts.sort.descending ? -1 : 1;
    const keyed = out.map((v) => ({v, k: key(v.row)}));
    keyed.sort((a, b) => {
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      if (c !== 0) return c * dir;
      // Ties keep a stable, predictable order: by the row key.
      return resource.rowKey(a.v.row).localeCompare(resource.rowKey(b.v.row));
    });
    return keyed.map((x) => x.v);
  }
  return out;
}

/**
 * Column widths for the given total width: each column as wide as its content; when that is too
 * wide, the widest columns give way first (never below their header); spare width goes to the grow column.
 */
export function columnWidths(cols: Column<unknown>[], views: RowView[], total: number): number[] {
  // +1: room for the sort arrow the table puts after the header.
  const min = cols.map((c) => stringWidth(c.header) + 1);
  const widths = [...min];
  for (const v of views) {
    v.cells.forEach((cell, i) => {
      const w = stringWidth(cell);
      if (w > widths[i]!) widths[i] = w;
    });
  }
  const available = Math.max(cols.length, total - (cols.length - 1));
  let overflow = widths.reduce((a, b) => a + b, 0) - available;
  while (overflow > 0) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > min[i]! && (widest < 0 || w > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]!--;
    overflow--;
  }
  const growIdx = cols.findIndex((c) => c.grow);
  if (overflow < 0 && growIdx >= 0) widths[growIdx]! -= overflow;
  return widths;
}

/** Columns that matter most by their id, where a column does not say (NAME and STATUS survive longest). */
const PRIORITY_BY_ID: Record<string, number> = {name: 4, status: 4, state: 4, namespace: 3, image: 3, ready: 3, restarts: 3, ip: 2, age: 2};
/** Names, images and IDs keep their distinguishing tail when shortened. */
const MIDDLE_CUT = new Set(['name', 'image', 'id', 'repository', 'pod']);

export function priorityOf(c: Column<unknown>): number {
  return c.priority ?? PRIORITY_BY_ID[c.id] ?? 1;
}

export function cutOf(c: Column<unknown>): 'end' | 'middle' {
  return c.cut ?? (MIDDLE_CUT.has(c.id) ? 'middle' : 'end');
}

/**
 * Which columns fit in the width, and how wide each is: when even the headers do not fit, the
 * least important columns go first (k9s drops columns the same way), so NAME and STATUS survive a
 * narrow terminal.
 */
export function layoutColumns(cols: Column<unknown>[], views: RowView[], total: number): {keep: number[]; widths: number[]} {
  let keep = cols.map((_, i) => i);
  const need = (idx: number[]) => idx.reduce((a, i) => a + stringWidth(cols[i]!.header) + 1, 0) + idx.length - 1;
  while (keep.length > 1 && need(keep) > total) {
    // The least important column, the rightmost of equals.
    let drop = keep[0]!;
    for (const i of keep) if (priorityOf(cols[i]!) <= priorityOf(cols[drop]!)) drop = i;
    keep = keep.filter((i) => i !== drop);
  }
  const shown = keep.map((i) => cols[i]!);
  const cells = views.map((v) => ({row: v.row, cells: keep.map((i) => v.cells[i]!)}));
  return {keep, widths: columnWidths(shown, cells, total)};
}

const graphemes = new Intl.Segmenter();

/** Up to `room` columns of whole characters from the start of the text, or from its end. */
function take(text: string, room: number, fromEnd = false): {text: string; used: number} {
  const parts = [...graphemes.segment(text)].map((g) => g.segment);
  if (fromEnd) parts.reverse();
  let out: string[] = [];
  let used = 0;
  for (const segment of parts) {
    const g = stringWidth(segment);
    if (used + g > room) break;
    out.push(segment);
    used += g;
  }
  if (fromEnd) out = out.reverse();
  return {text: out.join(''), used};
}

/**
 * The text in exactly `width` terminal columns: padded, or cut at a whole character with an ellipsis
 * (a wide character that would be split is dropped and the gap padded), at the end or, for names
 * and keys, in the middle. At width 1 an ellipsis alone says nothing, so the first character shows
 * if it is one column.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', cut: 'end' | 'middle' = 'end'): string {
  if (width <= 0) return '';
  const w = stringWidth(text);
  if (w <= width) {
    const pad = ' '.repeat(width - w);
    return align === 'right' ? pad + text : text + pad;
  }
  const room = width === 1 ? 1 : width - 1;
  if (width === 1) {
    const first = take(text, 1);
    return first.used === 1 ? first.text : '…';
  }
  if (cut === 'middle' && room >= 4) {
    // The tail tells names apart (pod hashes, the last key segment): it gets the larger half.
    const tail = take(text, Math.ceil(room * 0.6), true);
    const head = take(text, room - tail.used);
    return head.text + '…' + tail.text + ' '.repeat(room - head.used - tail.used);
  }
  const head = take(text, room);
  return head.text + '…' + ' '.repeat(room - head.used);
}
