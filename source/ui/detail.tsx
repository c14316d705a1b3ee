import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import type {DetailFrame, DetailState} from '../store/app-store.js';
import {TitleBar, type ViewProps} from './title-bar.js';
import {useStore} from '../store/store.js';
import {toJsonLines, toYamlLines, type Line} from './yaml.js';

const selectDetail = (s: DetailState) => s;

/** d describe: everything the API returned, as scrollable coloured YAML (y for JSON). */
export function Detail({app, frame, width, height, metricsRef}: ViewProps<DetailFrame>) {
  const state = useStore(app.detailStore(frame.id), selectDetail);
  const lines: Line[] = useMemo(
    () => (state.value === undefined ? [] : frame.format === 'json' ? toJsonLines(state.value) : toYamlLines(state.value)),
    [state.value, frame.format],
  );
  const bodyHeight = Math.max(1, height - 1);
  metricsRef.current = {count: lines.length, pageSize: bodyHeight, rowAt: () => undefined};
  const pos = lines.length > bodyHeight ? `${frame.scroll + 1}-${Math.min(lines.length, frame.scroll + bodyHeight)}/${lines.length} ` : '';
  const title = ` ${frame.title} [${frame.format}] ${pos}`;
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
      <TitleBar title={title} width={width} />
      {body}
    </Box>
  );
}
