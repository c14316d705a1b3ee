import React, {useEffect, useRef} from 'react';
import {Box} from 'ink';
import type {AppController, UiState} from '../store/app-store.js';
import {findTable} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import {dispatchKey, type ViewMetrics} from '../keys/dispatch.js';
import {useKeys} from '../keys/use-keys.js';
import {allNamespacesBinding, detailBindings, logBindings, treeBindings, type Binding} from '../keys/bindings.js';
import {findResource} from '../resources/registry.js';
import {Header} from './header.js';
import {Hints} from './hints.js';
import {Help} from './help.js';
import {Pane} from './pane.js';
import {Detail} from './detail.js';
import {Logs} from './logs.js';
import {KeyTreeView} from './key-tree.js';
import {Dialog, Form} from './dialog.js';
import {Prompt} from './prompt.js';
import {StatusLine} from './status-line.js';
import {useTerminalSize} from './use-terminal-size.js';

const selectView = (s: UiState) => ({
  frame: s.stack[s.stack.length - 1]!,
  table: findTable(s.stack),
  mode: s.mode,
  dialog: s.dialog,
  form: s.form,
});

const HEADER_LINES = 4;

export function App({app, version}: {app: AppController; version: string}) {
  const {columns, rows} = useTerminalSize();
  const {frame, table, mode, dialog, form} = useStore(app.ui, selectView);
  const resource = table ? findResource(table.resource) : undefined;
  const metricsRef = useRef<ViewMetrics>({count: 0, pageSize: 1, rowAt: () => undefined});

  useEffect(() => {
    app.start();
    return () => app.stop();
  }, [app]);

  useKeys((key) => dispatchKey(app, metricsRef.current, key));

  // One line short of the terminal: a frame as tall as the terminal makes Ink clear and repaint it all.
  const height = Math.max(8, rows - 1);
  const promptLines = mode === 'command' || mode === 'filter' ? 1 : 0;
  const paneHeight = height - HEADER_LINES - 1 - promptLines - 1;
  const hints: Binding[] =
    frame.kind === 'detail'
      ? detailBindings
      : frame.kind === 'logs'
        ? logBindings
        : frame.kind === 'tree' || !resource
          ? treeBindings
          : resource.allNamespaces
            ? [...resource.actions, allNamespacesBinding]
            : resource.actions;

  let body: React.ReactNode;
  if (dialog) body = <Dialog dialog={dialog} width={columns} />;
  else if (form) body = <Form form={form} width={columns} />;
  else if (mode === 'help') body = <Help resource={resource} view={frame.kind} />;
  else if (frame.kind === 'tree') body = <KeyTreeView app={app} frame={frame} width={columns} height={paneHeight} metricsRef={metricsRef} />;
  else if (frame.kind === 'detail') body = <Detail app={app} frame={frame} width={columns} height={paneHeight} metricsRef={metricsRef} />;
  else if (frame.kind === 'logs') body = <Logs app={app} frame={frame} width={columns} height={paneHeight} metricsRef={metricsRef} />;
  else if (resource) body = <Pane app={app} resource={resource} frame={frame} width={columns} height={paneHeight} metricsRef={metricsRef} />;

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header app={app} version={version} />
      <Hints actions={hints} readonly={app.ctx.config.readonly} filterable={frame.kind === 'table' || frame.kind === 'tree'} />
      <Prompt ui={app.ui} />
      <Box height={paneHeight} flexDirection="column">
        {body}
      </Box>
      <StatusLine ui={app.ui} />
    </Box>
  );
}
