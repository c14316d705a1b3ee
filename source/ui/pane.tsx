import React, {useEffect, useMemo} from 'react';
import {Box, Text} from 'ink';
import {viewRows, visibleColumns} from '../resources/rows.js';
import type {AnyResource} from '../resources/types.js';
import type {ResourceState, TableFrame, UiState} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import {Table, windowTop} from './table.js';
import {TitleBar, type ViewProps} from './title-bar.js';

const selectResource = (s: ResourceState) => s;
const selectBits = (s: UiState) => ({namespace: s.namespace, now: s.now});

export function Pane({app, resource, frame, width, height, metricsRef}: ViewProps<TableFrame> & {resource: AnyResource}) {
  const data = useStore(app.resourceStore(resource.id), selectResource);
  const {namespace, now} = useStore(app.ui, selectBits);
  const columns = useMemo(() => visibleColumns(resource, frame.allNamespaces), [resource, frame.allNamespaces]);
  const views = useMemo(
    () => viewRows(resource, data.rows, {filter: frame.filter, sort: frame.sort, now, columns}),
    [resource, data.rows, frame.filter, frame.sort, now, columns],
  );
  const rowsHeight = Math.max(1, height - 2);
  metricsRef.current = {count: views.length, pageSize: rowsHeight, rowAt: (i) => views[i]?.row};
  app.selectedRow = () => views[Math.min(app.currentTable().selected, views.length - 1)]?.row;

  // Keep the selection inside the list when rows go away, and remember the window's top.
  const selected = Math.min(frame.selected, Math.max(0, views.length - 1));
  const top = windowTop(selected, frame.top, rowsHeight, views.length);
  useEffect(() => {
    if (selected !== frame.selected || top !== frame.top) app.updateTable({selected, top});
  }, [app, selected, top, frame.selected, frame.top]);

  const name = resource.viewTitle ? resource.viewTitle(frame.params) : resource.title;
  const scope = resource.namespaced ? `(${frame.allNamespaces ? 'all' : namespace})` : '';
  const count = frame.filter ? `[${views.length}/${data.rows.length}]` : `[${data.rows.length}]`;
  const title = ` ${name}${scope}${count}${frame.filter ? ` </${frame.filter}>` : ''}${data.stale ? ' [stale]' : ''} `;
  const shownFrame = {...frame, selected, top};

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
  } else {
    body = (
      <Box flexDirection="column">
        <Table resource={resource} columns={columns} views={views} frame={shownFrame} width={width} height={rowsHeight} />
        {views.length === 0 ? (
          <Text dimColor> {frame.filter ? 'no rows match the filter' : `no ${name.toLowerCase()}`}</Text>
        ) : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" height={height}>
      <TitleBar title={title} width={width} color={data.stale ? 'yellow' : 'cyan'} />
      {body}
    </Box>
  );
}
