import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import type {AppController, DetailFrame, DetailState} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import type {ViewMetrics} from '../keys/dispatch.js';
import {toJsonLines, toYamlLines, type Line} from './yaml.js';

const selectDetail = (s: DetailState) => s;

/** d describe: everything the API returned, as scrollable coloured YAML (y for JSON). */
export function Detail({
  app,
  frame,
  width,
  height,
  metricsRef,
}: {
  app: AppController;
  frame: DetailFrame;
  width: number;
  height: number;
  metricsRef: React.MutableRefObject<ViewMetrics>;
}) {
  const state = useStore(app.detailStore(frame.id), selectDetail);
  const lines: Line[] = useMemo(
    () => (state.value === undefined ? [] : frame.format === 'json' ? toJsonLines(state.value) : toYamlLines(state.value)),
    [state.value, frame.format],
  );
  const bodyHeight = Math.max(1, height - 1);
  metricsRef.current = {count: lines.length, pageSize: bodyHeight, rowAt: () => undefined};
  const pos = lines.length > bodyHeight ? `${frame.scroll + 1}-${Math.min(lines.length, frame.scroll + bodyHeight)}/${lines.length} ` : '';
  const title = ` ${frame.title} [${frame.format}] ${pos}`;
  const rule = '─'.repeat(Math.max(0, Math.floor((width - title.length) / 2)));
  let body: React.ReactNode;
  if (state.loading) body = <Text dimColor> loading…</Text>;
  else if (state.error) body = <Text color="red"> {state.error}</Text>;
  else {
    body = lines.slice(frame.scroll, frame.scroll + bodyHeight).map((line, i) => (
      <Text key={frame.scroll + i} wrap="truncate-end">
        {line.map((seg, j) => (
          <Text key={j} color={seg.color}>
            {seg.text}
          </Text>
        ))}
      </Text>
    ));
  }
  return (
    <Box flexDirection="column" height={height}>
      <Text color="cyan" wrap="truncate-end">
        {rule}
        <Text bold>{title}</Text>
        {rule}
      </Text>
      {body}
    </Box>
  );
}
