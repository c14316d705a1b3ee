import stringWidth from 'string-width';
import {hasUnsafe, joinParts, sanitize, type TextPart} from '../data/text/sanitize.js';
import {isNarrowText} from '../data/text/narrow.js';
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
  /** When its time cells show another text next (Infinity: never): set as it is made, when the columns have any. */
  next?: number;
  /** Each cell's width in terminal columns: measured at the first layout that sees the view, then kept. */
  widths?: number[];
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

/** A cell's text as the table shows it, sanitised (parts when it held something to escape). */
function cellOf(c: Column<unknown>, row: unknown, now: number): {text: string; parts?: TextPart[]} {
  const text = c.cell(row, now);
  if (!hasUnsafe(text)) return {text};
  const parts = sanitize(text);
  return {text: joinParts(parts), parts};
}

// Kept on the view, not in a WeakMap: three WeakMap operations per row made a tick of 10,000 rows whose ages read seconds 5-10x slower.
function noteNext(view: RowView, columns: Column<unknown>[], timed: number[], now: number): void {
  let next = Infinity;
  for (const i of timed) next = Math.min(next, columns[i]!.changesAt!(view.row, now) ?? Infinity);
  view.next = next;
}

const timedColumns = (columns: Column<unknown>[]) => columns.flatMap((c, i) => (c.changesAt ? [i] : []));

/**
 * The same rows, in the same order, at another `now`: only the rows whose time cells show another
 * text by then are made again (each knows when, from its columns' changesAt), the rest are the same
 * objects, and when none changed the same array is returned. Valid when the order and the filter
 * cannot depend on the time (see `timeIndependent`): an age tick at 10,000 rows remade every row
 * (4-35 ms, a missed keypress), though most rows' ages read minutes or hours.
 */
export function retimeRows(views: RowView[], columns: Column<unknown>[], now: number): RowView[] {
  const timed = timedColumns(columns);
  if (timed.length === 0) return views;
  let changed = false;
  const out = views.map((v) => {
    if (v.next !== undefined && v.next > now) return v;
    let cells: string[] | undefined;
    let parts = v.parts;
    for (const i of timed) {
      const cell = cellOf(columns[i]!, v.row, now);
      if (cell.text === v.cells[i]) continue;
      cells ??= [...v.cells];
      cells[i] = cell.text;
      if (cell.parts || parts?.[i]) {
        if (parts === v.parts) parts = parts ? [...parts] : [];
        parts![i] = cell.parts;
      }
    }
    if (!cells) {
      noteNext(v, columns, timed, now);
      return v;
    }
    const made: RowView = parts?.some(Boolean) ? {row: v.row, cells, parts} : {row: v.row, cells};
    if (v.widths) {
      // Only time cells changed: the rest of the row's widths are the old view's.
      made.widths = [...v.widths];
      for (const i of timed) made.widths[i] = widthOf(cells[i]!);
    }
    changed = true;
    noteNext(made, columns, timed, now);
    return made;
  });
  return changed ? out : views;
}

/** Whether a view's rows, filter and order stay the same as time passes (only their time cells change). */
export function timeIndependent(columns: Column<unknown>[], opts: {filter: string; sort: {column: string}}): boolean {
  // A text filter may match an age ("5m"); a time column sorted by its text would reorder.
  if (opts.filter.trim() && !/^-l\s/.test(opts.filter.trim())) return false;
  const sorted = columns.find((c) => c.id === opts.sort.column);
  return !sorted?.changesAt || !!sorted.sortValue;
}

// The collation of localeCompare (ICU's root, and English) orders - . / 0-9 a-z as their code units
// do, and its first use loads ICU's collator (8 ms of a start): names of only those are compared
// directly (in every locale: a name list that sorts the same on every node).
const plainText = /^[-./0-9a-z]*$/;

/** a.localeCompare(b), without ICU for the lower-case names most rows have. */
export function compareText(a: string, b: string): number {
  if (plainText.test(a) && plainText.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

/** Renders every row's cells, filters and sorts them: what the table shows, in order. */
export function viewRows(
  resource: AnyResource,
  rows: unknown[],
  opts: {filter: string; sort: {column: string; descending: boolean}; now: number; columns?: Column<unknown>[]},
): RowView[] {
  const columns = opts.columns ?? resource.columns;
  const keep = makeFilter(resource, opts.filter);
  const timed = timedColumns(columns);
  const out: RowView[] = [];
  for (const row of rows) {
    // The one place table text enters the view: every cell of every table is sanitised here.
    let parts: RowView['parts'];
    const cells = columns.map((c, i) => {
      const cell = cellOf(c, row, opts.now);
      if (cell.parts) (parts ??= [])[i] = cell.parts;
      return cell.text;
    });
    if (!keep(row, cells)) continue;
    const view: RowView = parts ? {row, cells, parts} : {row, cells};
    if (timed.length) noteNext(view, columns, timed, opts.now);
    out.push(view);
  }
  const idx = columns.findIndex((c) => c.id === opts.sort.column);
  if (idx >= 0) {
    const col = columns[idx]!;
    const key = col.sortValue ?? ((r: unknown) => col.cell(r, opts.now));
    const dir = opts.sort.descending ? -1 : 1;
    const keyed = out.map((v) => ({v, k: key(v.row)}));
    keyed.sort((a, b) => {
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : compareText(String(a.k), String(b.k));
      if (c !== 0) return c * dir;
      // Ties keep a stable, predictable order: by the row key.
      return compareText(resource.rowKey(a.v.row), resource.rowKey(b.v.row));
    });
    return keyed.map((x) => x.v);
  }
  return out;
}

// A narrow character is one column (string-width segments every grapheme: most of a 2,000-row layout).
const widthOf = (cell: string) => (isNarrowText(cell) ? cell.length : stringWidth(cell));

/** A view's cell widths, measured once: a tick or a new layout measures only cells it has not seen. */
function cellWidths(v: RowView): number[] {
  return (v.widths ??= v.cells.map(widthOf));
}

/**
 * Column widths for the given total width: each column as wide as its content; when that is too
 * wide, the widest columns give way first (never below their header); spare width goes to the grow
 * column. `keep`: which of each view's cells the columns show (all, in order, when not given).
 */
export function columnWidths(cols: Column<unknown>[], views: RowView[], total: number, keep?: number[]): number[] {
  // +1: room for the sort arrow the table puts after the header.
  const min = cols.map((c) => stringWidth(c.header) + 1);
  const widths = [...min];
  const idx = keep ?? cols.map((_, i) => i);
  for (const v of views) {
    const w = cellWidths(v);
    for (let j = 0; j < idx.length; j++) if (w[idx[j]!]! > widths[j]!) widths[j] = w[idx[j]!]!;
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
  return {keep, widths: columnWidths(keep.map((i) => cols[i]!), views, total, keep)};
}
