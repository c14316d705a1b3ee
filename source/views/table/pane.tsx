import React, {useEffect} from 'react';
import {Box, Text} from 'ink';
import {windowTop} from '../../keys/movement.js';
import type {ResourceState, UiState} from '../../store/app-state.js';
import {useStore} from '../../store/store.js';
import {Table} from '../../ui/table.js';
import {TitleBar} from '../../ui/title-bar.js';
import {safeText} from '../../data/text/sanitize.js';
import type {AnyResource} from '../../resources/types.js';
import type {ViewProps} from '../types.js';
import {tableModel, type TableState} from './model.js';

const selectResource = (s: ResourceState) => s;
const selectBits = (s: UiState) => ({namespace: s.namespace, now: s.now});

/** A resource's table: its rows come from the same model the keys act on. */
export function Pane({app, resource, frame, width, height}: ViewProps<TableState> & {resource: AnyResource}) {
  useStore(app.resourceStore(resource.id), selectResource);
  const {namespace} = useStore(app.ui, selectBits);
  const model = tableModel(app, frame, {width, height}, resource);
  const {views, data, columns, selected} = model;
  const state = frame.state;
  const top = windowTop(selected, state.top, model.pageSize, views.length);
  // Remember the clamped selection and window, so the next key starts from what is on screen.
  useEffect(() => {
    if (selected !== state.selected || top !== state.top) app.update(frame, {selected, top});
  }, [app, frame, selected, top, state.selected, state.top]);

  // A drill-down's title names what it is in (a pod): daemon text.
  const name = safeText(resource.viewTitle ? resource.viewTitle(state.params) : resource.title);
  const scope = resource.namespaced ? `(${state.allNamespaces ? 'all' : namespace})` : '';
  const count = state.filter ? `[${views.length}/${data.rows.length}]` : `[${data.rows.length}]`;
  const note = data.note;
  const title = ` ${name}${scope}${count}${state.filter ? ` </${state.filter}>` : ''}${data.stale ? ' [stale]' : ''}${note ? ` ${note}` : ''} `;

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
        <Table columns={columns} views={views} rowKey={resource.rowKey} sort={state.sort} selected={selected} top={top} width={width} height={model.pageSize} />
        {views.length === 0 ? <Text dimColor> {state.filter ? 'no rows match the filter' : `no ${name.toLowerCase()}`}</Text> : null}
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
