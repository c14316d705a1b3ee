import React from 'react';
import {Box, Text} from 'ink';
import type {Column} from '../resources/types.js';
import {cutOf, fit, fitParts, layoutColumns, type RowView} from '../resources/rows.js';
import type {TextPart} from '../data/text/sanitize.js';
import {partNodes} from './parts.js';

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

/** Renders only the rows on screen: 10,000 rows cost what 50 do. */
export function Table({columns, views, rowKey, sort, selected, top, width, height}: TableProps) {
  const {keep, widths} = React.useMemo(() => layoutColumns(columns, views, width - 1), [columns, views, width]);
  const cellText = (c: string, i: number, k: number) => fit(c, widths[k]!, columns[i]!.align, cutOf(columns[i]!));
  const line = (cells: string[]) => ' ' + keep.map((i, k) => cellText(cells[i]!, i, k)).join(' ');
  // A row with escaped cells: the same layout, drawn as parts so the escapes show dimmed.
  const partsLine = (v: RowView): TextPart[] => [
    {text: ' '},
    ...keep.flatMap((i, k) => {
      const cell = v.parts![i] ? fitParts(v.parts![i]!, widths[k]!, columns[i]!.align, cutOf(columns[i]!)) : [{text: cellText(v.cells[i]!, i, k)}];
      return k ? [{text: ' '}, ...cell] : cell;
    }),
  ];
  const headers = columns.map((c) => {
    const mark = sort.column === c.id ? (sort.descending ? '↓' : '↑') : '';
    return c.header + mark;
  });
  const visible = views.slice(top, top + height);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{line(headers)}</Text>
      {visible.map((v, i) => {
        const isSelected = top + i === selected;
        return (
          <Text key={rowKey(v.row)} inverse={isSelected} color={isSelected ? 'cyan' : undefined} wrap="truncate-end">
            {v.parts ? partNodes(partsLine(v)) : line(v.cells)}
          </Text>
        );
      })}
    </Box>
  );
}
