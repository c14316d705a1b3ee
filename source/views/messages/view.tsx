import React from 'react';
import {Box, Text} from 'ink';
import {useStore} from '../../store/store.js';
import {TitleBar} from '../../ui/title-bar.js';
import type {ViewProps} from '../types.js';
import {clock, messagesModel, type MessagesState} from './model.js';

const selectAll = (s: {messages: unknown[]}) => s.messages;

/** :messages: the last status messages, newest first, whole (the status line may have wrapped or replaced them). */
export function MessagesView({app, frame, width, height}: ViewProps<MessagesState>) {
  useStore(app.messages.store, selectAll);
  const {messages} = messagesModel(app, frame, {width, height});
  const shown = messages.slice(frame.state.top);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <TitleBar title={` Messages [${messages.length}] `} width={width} />
      {messages.length === 0 ? <Text dimColor> no messages yet</Text> : null}
      {shown.map((m, i) => (
        <Text key={frame.state.top + i} wrap="wrap">
          <Text dimColor>{clock(m.time)} </Text>
          <Text color={m.level === 'error' ? 'red' : 'green'}>{m.level === 'error' ? 'error' : 'info '}</Text> {m.text}
        </Text>
      ))}
    </Box>
  );
}
