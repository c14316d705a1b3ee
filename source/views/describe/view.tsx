import React, {useMemo} from 'react';
import {Box, Text} from 'ink';
import {TitleBar} from '../../ui/title-bar.js';
import {useStore} from '../../store/store.js';
import type {ViewProps} from '../types.js';
import {describeLines, type DescribeFeed, type DescribeState, type DetailState} from './model.js';

const selectDetail = (s: DetailState) => s;

/** d describe: everything the API returned, as scrollable coloured YAML (y for JSON). */
export function Detail({app, frame: {id, state: frame}, width, height}: ViewProps<DescribeState>) {
  const feed = app.feed<DescribeFeed>(id)!;
  const state = useStore(feed.store, selectDetail);
  const lines = useMemo(() => describeLines(state.value, frame.format), [state.value, frame.format]);
  const bodyHeight = Math.max(1, height - 1);
  const pos = lines.length > bodyHeight ? `${frame.scroll + 1}-${Math.min(lines.length, frame.scroll + bodyHeight)}/${lines.length} ` : '';
  const title = ` ${frame.title} [${frame.format}] ${pos}`;
  let body: React.ReactNode;
  if (state.loading) body = <Text dimColor> loading…</Text>;
  else if (state.error) body = <Text color="red"> {state.error}</Text>;
  else {
    body = lines.slice(frame.scroll, frame.scroll + bodyHeight).map((line, i) => (
      <Text key={frame.scroll + i} wrap="truncate-end">
        {line.map((seg, j) => (
          <Text key={j} color={seg.color} dimColor={seg.escape}>
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
