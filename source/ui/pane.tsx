import React, {useEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import {viewRows} from '../resources/rows.js';
import type {AnyResource} from '../resources/types.js';
import type {AppController, ResourceState, UiState} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import type {TableView} from '../keys/dispatch.js';
import {Table, windowTop} from './table.js';

const selectResource = (s: ResourceState) => s;
const selectFrameBits = (s: UiState) => ({frame: s.stack[s.stack.length - 1]!, namespace: s.namespace, now: s.now});

export function Pane({
  app,
  resource,
  width,
  height,
  tableRef,
}: {
  app: AppController;
  resource: AnyResource;
  width: number;
  height: number;
  tableRef: React.MutableRefObject<TableView>;
}) {
  const data = useStore(app.resourceStore(resource.id), selectResource);
  const {frame, namespace, now} = useStore(app.ui, selectFrameBits);
  const views = useMemo(
    () => viewRows(resource, data.rows, {filter: frame.filter, sort: frame.sort, now}),
    [resource, data.rows, frame.filter, frame.sort, now],
  );
  const rowsHeight = Math.max(1, height - 2);
  tableRef.current = {count: views.length, pageSize: rowsHeight, rowAt: (i) => views[i]?.row};

  // Keep the selection inside the list when rows go away, and remember the window's top.
  const selected = Math.min(frame.selected, Math.max(0, views.length - 1));
  const top = windowTop(selected, frame.top, rowsHeight, views.length);
  useEffect(() => {
    if (selected !== frame.selected || top !== frame.top) app.updateFrame({selected, top});
  }, [app, selected, top, frame.selected, frame.top]);

  const scope = resource.namespaced ? `(${namespace})` : '';
  const count = frame.filter ? `[${views.length}/${data.rows.length}]` : `[${data.rows.length}]`;
  const title = ` ${resource.title}${scope}${count}${frame.filter ? ` </${frame.filter}>` : ''}${data.stale ? ' [stale]' : ''} `;
  const rule = '─'.repeat(Math.max(0, Math.floor((width - title.length) / 2)));

  let body: React.ReactNode;
  if (data.error && !data.loaded) {
    body = (
      <Box flexDirection="column" paddingX={1}>
        <Text color="red" wrap="wrap">{data.error}</Text>
        <Text dimColor>retrying; the rest of undock keeps working. q quits.</Text>
      </Box>
    );
  } else if (!data.loaded) {
    body = <Text dimColor> loading…</Text>;
  } else if (views.length === 0) {
    body = (
      <Box flexDirection="column">
        <Table resource={resource} views={views} frame={{...frame, selected, top}} width={width} height={rowsHeight} />
        <Text dimColor> {frame.filter ? 'no rows match the filter' : `no ${resource.title.toLowerCase()}`}</Text>
      </Box>
    );
  } else {
    body = <Table resource={resource} views={views} frame={{...frame, selected, top}} width={width} height={rowsHeight} />;
  }
  return (
    <Box flexDirection="column" height={height}>
      <Text color="cyan" wrap="truncate-end">
        {rule}
        <Text bold color={data.stale ? 'yellow' : 'cyan'}>{title}</Text>
        {rule}
      </Text>
      {body}
    </Box>
  );
}
