import React from 'react';
import {Box, Text} from 'ink';
import type {AnyResource, Column} from '../resources/types.js';
import {columnWidths, fit, type RowView} from '../resources/rows.js';
import type {TableFrame} from '../store/app-store.js';

export interface TableProps {
  resource: AnyResource;
  columns: Column<unknown>[];
  views: RowView[];
  frame: TableFrame;
  width: number;
  /** Lines available for data rows (the header row is extra). */
  height: number;
}

/** First visible row so that the selection stays on screen, moving the window as little as possible. */
export function windowTop(selected: number, top: number, height: number, count: number): number {
  let t = top;
  if (selected < t) t = selected;
  if (selected >= t + height) t = selected - height + 1;
  return Math.max(0, Math.min(t, Math.max(0, count - height)));
}

/** Renders only the rows on screen: 10,000 rows cost what 50 do. */
export function Table({resource, columns, views, frame, width, height}: TableProps) {
  const widths = React.useMemo(() => columnWidths(columns, views, width - 1), [columns, views, width]);
  const top = windowTop(frame.selected, frame.top, height, views.length);
  const line = (cells: string[]) => ' ' + cells.map((c, i) => fit(c, widths[i]!, columns[i]!.align)).join(' ');
  const headers = columns.map((c) => {
    const mark = frame.sort.column === c.id ? (frame.sort.descending ? '↓' : '↑') : '';
    return c.header + mark;
  });
  const visible = views.slice(top, top + height);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">{line(headers)}</Text>
      {visible.map((v, i) => {
        const selected = top + i === frame.selected;
        return (
          <Text key={resource.rowKey(v.row)} inverse={selected} color={selected ? 'cyan' : undefined} wrap="truncate-end">
            {line(v.cells)}
          </Text>
        );
      })}
    </Box>
  );
}
