import stringWidth from 'string-width';
import {hasUnsafe, joinParts, sanitize, sliceParts, type TextPart} from '../data/text/sanitize.js';
import type {AnyResource, Column} from './types.js';

/** The columns a view shows: the namespace column only when it lists every namespace. */
export function visibleColumns(resource: AnyResource, allNamespaces: boolean): Column<unknown>[] {
  return resource.columns.filter((c) => allNamespaces || !c.allNamespacesOnly);
}

export interface RowView {
  row: unknown;
  /** What each cell shows, sanitised: filters, widths and sorting see exactly this. */
  cells: string[];
  /** The cells that held something to escape, as parts (so the table can dim the escapes). */
  parts?: Array<TextPart[] | undefined>;
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
    // The one place table text enters the view: every cell of every table is sanitised here.
    let parts: RowView['parts'];
    const cells = columns.map((c, i) => {
      const text = c.cell(row, opts.now);
      if (!hasUnsafe(text)) return text;
      (parts ??= [])[i] = sanitize(text);
      return joinParts(parts[i]!);
    });
    if (keep(row, cells)) out.push(parts ? {row, cells, parts} : {row, cells});
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

const graphemes = new Intl.Segmenter();

/** How text goes into `width` columns: how much of it is kept, whether an ellipsis follows, the padding. */
function layout(text: string, width: number, align: 'left' | 'right'): {keep: number; ellipsis: boolean; left: number; right: number} {
  const w = stringWidth(text);
  if (w <= width) return {keep: text.length, ellipsis: false, left: align === 'right' ? width - w : 0, right: align === 'right' ? 0 : width - w};
  const room = width === 1 ? 1 : width - 1;
  let keep = 0;
  let used = 0;
  for (const {segment} of graphemes.segment(text)) {
    const g = stringWidth(segment);
    if (used + g > room) break;
    keep += segment.length;
    used += g;
  }
  if (width === 1) return used === 1 ? {keep, ellipsis: false, left: 0, right: 0} : {keep: 0, ellipsis: true, left: 0, right: 0};
  return {keep, ellipsis: true, left: 0, right: room - used};
}

/**
 * The text in exactly `width` terminal columns: padded, or cut at a whole character with an ellipsis
 * (a wide character that would be split is dropped and the gap padded). At width 1 an ellipsis
 * alone says nothing, so the first character shows if it is one column.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const l = layout(text, width, align);
  return ' '.repeat(l.left) + (l.keep === text.length ? text : text.slice(0, l.keep)) + (l.ellipsis ? '…' : '') + ' '.repeat(l.right);
}

/** fit() for sanitised parts: the same cut, with the escapes kept apart so they can be drawn dimmed. */
export function fitParts(parts: TextPart[], width: number, align: 'left' | 'right' = 'left'): TextPart[] {
  if (width <= 0) return [];
  const l = layout(joinParts(parts), width, align);
  const out: TextPart[] = l.left ? [{text: ' '.repeat(l.left)}] : [];
  out.push(...sliceParts(parts, 0, l.keep));
  const tail = (l.ellipsis ? '…' : '') + ' '.repeat(l.right);
  if (tail) out.push({text: tail});
  return out;
}
