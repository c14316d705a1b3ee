import React, {useEffect} from 'react';
import {Box} from 'ink';
import {frameHeight, paneSize, statusLines, type UiState} from '../store/app-state.js';
import type {AppController} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import {Header} from '../ui/header.js';
import {Hints} from '../ui/hints.js';
import {Dialog, Form} from '../ui/dialog.js';
import {Prompt} from '../ui/prompt.js';
import {StatusLine} from '../ui/status-line.js';
import {useTerminalSize} from '../ui/use-terminal-size.js';
import type {ViewDef} from '../views/types.js';
import {completeCommand} from '../keys/commands.js';
import {hintsFor} from './hints.js';

const selectView = (s: UiState) => ({frame: s.stack[s.stack.length - 1], stack: s.stack, mode: s.mode, dialog: s.dialog, form: s.form, status: s.status, busy: s.busy, now: s.now});

/** The shell: header, hints, prompt, the current frame's registered view, status line. Keys come from the input owner. */
export function App({app, version, findView}: {app: AppController; version: string; findView: (id: string) => ViewDef | undefined}) {
  const {columns, rows} = useTerminalSize();
  const {frame, stack, mode, dialog, form, status, busy} = useStore(app.ui, selectView);

  useEffect(() => app.setSize(columns, rows), [app, columns, rows]);

  const shown = {size: {columns, rows}, mode, stack, status, busy};
  const {height: paneHeight} = paneSize(shown);
  const view = frame ? findView(frame.view) : undefined;
  let body: React.ReactNode = null;
  if (dialog) body = <Dialog dialog={dialog} width={columns} />;
  else if (form) body = <Form form={form} width={columns} />;
  else if (view && frame) body = <view.component key={frame.id} app={app} frame={frame} width={columns} height={paneHeight} />;

  return (
    <Box flexDirection="column" width={columns} height={frameHeight(rows)}>
      <Header app={app} version={version} />
      <Hints hints={frame ? hintsFor(app, frame) : []} width={columns} />
      <Prompt ui={app.ui} complete={(input) => completeCommand(app, input)} />
      <Box height={paneHeight} flexDirection="column">
        {body}
      </Box>
      <StatusLine ui={app.ui} lines={statusLines(shown)} />
    </Box>
  );
}
