import React, {useEffect, useRef} from 'react';
import {Box, useApp} from 'ink';
import type {AppController, UiState} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import {dispatchKey, type TableView} from '../keys/dispatch.js';
import {useKeys} from '../keys/use-keys.js';
import {findResource} from '../resources/registry.js';
import {Header} from './header.js';
import {Hints} from './hints.js';
import {Help} from './help.js';
import {Pane} from './pane.js';
import {Prompt} from './prompt.js';
import {StatusLine} from './status-line.js';
import {useTerminalSize} from './use-terminal-size.js';

const selectView = (s: UiState) => ({resource: s.stack[s.stack.length - 1]!.resource, mode: s.mode});

const HEADER_LINES = 4;

export function App({app, version}: {app: AppController; version: string}) {
  const {exit} = useApp();
  const {columns, rows} = useTerminalSize();
  const {resource: resourceId, mode} = useStore(app.ui, selectView);
  const resource = findResource(resourceId)!;
  const tableRef = useRef<TableView>({count: 0, pageSize: 1, rowAt: () => undefined});

  useEffect(() => {
    app.onQuit = () => exit();
    app.start();
    return () => app.stop();
  }, [app, exit]);

  useKeys((key) => dispatchKey(app, tableRef.current, key));

  // One line short of the terminal: a frame as tall as the terminal makes Ink clear and repaint it all.
  const height = Math.max(8, rows - 1);
  const promptLines = mode === 'command' || mode === 'filter' ? 1 : 0;
  const paneHeight = height - HEADER_LINES - 1 - promptLines - 1;
  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Header app={app} version={version} />
      <Hints actions={resource.actions} readonly={app.ctx.config.readonly} />
      <Prompt ui={app.ui} />
      {mode === 'help' ? (
        <Box height={paneHeight}>
          <Help resource={resource} />
        </Box>
      ) : (
        <Pane app={app} resource={resource} width={columns} height={paneHeight} tableRef={tableRef} />
      )}
      <StatusLine ui={app.ui} />
    </Box>
  );
}
