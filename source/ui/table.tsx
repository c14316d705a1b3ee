import React from 'react';
import {Box, Text} from 'ink';
import type {Column} from '../resources/types.js';
import {cutOf, fit, layoutColumns, type RowView} from '../resources/rows.js';

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
  const line = (cells: string[]) => ' ' + keep.map((c, k) => fit(cells[c]!, widths[k]!, columns[c]!.align, cutOf(columns[c]!))).join(' ');
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
            {line(v.cells)}
          </Text>
        );
      })}
    </Box>
  );
}
