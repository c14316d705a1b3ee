import React from 'react';
import {Box, Text} from 'ink';
import type {Column} from '../resources/types.js';
import {fit, fitParts} from '../resources/fit.js';
import {cutOf, layoutColumns, type RowView} from '../resources/rows.js';
import type {TextPart} from '../data/text/sanitize.js';
import {partNodes} from './parts.js';
import {shallowEqual} from '../store/store.js';

export interface TableProps {
  columns: Column<unknown>[];
  views: RowView[];
  rowKey: (row: unknown) => string;
  sort: {column: string; descending: boolean};
  selected: number;
  /** First row shown (the caller keeps the selection inside the window). */
  top: number;
  width: number;
  /** Lines available for data rows (the header row is extra). */
  height: number;
}

/** Which columns show and how wide: one object while the rows and the width stay the same. */
interface Layout {
  columns: Column<unknown>[];
  keep: number[];
  widths: number[];
}

const cellText = (l: Layout, c: string, i: number, k: number) => fit(c, l.widths[k]!, l.columns[i]!.align, cutOf(l.columns[i]!));
const line = (l: Layout, cells: string[]) => ' ' + l.keep.map((i, k) => cellText(l, cells[i]!, i, k)).join(' ');
// A row with escaped cells: the same layout, drawn as parts so the escapes show dimmed.
const partsLine = (l: Layout, v: RowView): TextPart[] => [
  {text: ' '},
  ...l.keep.flatMap((i, k) => {
    const cell = v.parts![i] ? fitParts(v.parts![i]!, l.widths[k]!, l.columns[i]!.align, cutOf(l.columns[i]!)) : [{text: cellText(l, v.cells[i]!, i, k)}];
    return k ? [{text: ' '}, ...cell] : cell;
  }),
];

interface RowProps {
  view: RowView;
  layout: Layout;
  isSelected: boolean;
}

/** The same text: rows are made anew on every change of the rows, so identity says nothing. */
const sameRow = (a: RowProps, b: RowProps) =>
  a.layout === b.layout && a.isSelected === b.isSelected && (a.view === b.view || (!a.view.parts && !b.view.parts && shallowEqual(a.view.cells, b.view.cells)));

/**
 * One data row. Memoised by its text: a key that moves the selection redraws the two rows whose
 * highlight changed, and a sample that changes one row's CPU redraws that row, not every row on
 * screen (their cells are cut to width again only when they or the layout change).
 */
const Row = React.memo(function Row({view, layout, isSelected}: RowProps) {
  return (
    <Text inverse={isSelected} color={isSelected ? 'cyan' : undefined} wrap="truncate-end">
      {view.parts ? partNodes(partsLine(layout, view)) : line(layout, view.cells)}
    </Text>
  );
}, sameRow);

/** The previous layout while the columns shown and their widths are the same (the rows' memo compares it by identity). */
function useLayout(columns: Column<unknown>[], views: RowView[], width: number): Layout {
  const last = React.useRef<Layout | undefined>(undefined);
  return React.useMemo(() => {
    const next = {columns, ...layoutColumns(columns, views, width - 1)};
    const prev = last.current;
    if (prev && prev.columns === columns && shallowEqual(prev.keep, next.keep) && shallowEqual(prev.widths, next.widths)) return prev;
    last.current = next;
    return next;
  }, [columns, views, width]);
}

/** Renders only the rows on screen: 10,000 rows cost what 50 do. */
export function Table({columns, views, rowKey, sort, selected, top, width, height}: TableProps) {
  const layout = useLayout(columns, views, width);
  const headers = columns.map((c) => {
    const mark = sort.column === c.id ? (sort.descending ? '↓' : '↑') : '';
    return c.header + mark;
  });
  const visible = views.slice(top, top + height);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{line(layout, headers)}</Text>
      {visible.map((v, i) => (
        <Row key={rowKey(v.row)} view={v} layout={layout} isSelected={top + i === selected} />
      ))}
    </Box>
  );
}
