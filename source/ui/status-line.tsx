import React from 'react';
import {Text} from 'ink';
import type {UiState} from '../store/app-state.js';
import {useStore, type Store} from '../store/store.js';

const selectBits = (s: UiState) => ({stack: s.stack, status: s.status, busy: s.busy});

/** Breadcrumbs of the view stack, then what is running or the last message. */
export function StatusLine({ui}: {ui: Store<UiState>}) {
  const {stack, status, busy} = useStore(ui, selectBits);
  return (
    <Text wrap="truncate-end">
      {stack.map((f, i) => (
        <Text key={i} inverse={i === stack.length - 1} color="yellow">{` <${f.crumb}> `}</Text>
      ))}
      {busy ? <Text color="yellow">{`  ⟳ ${busy}…`}</Text> : status ? <Text color={status.level === 'error' ? 'red' : 'green'}>{`  ${status.text}`}</Text> : null}
    </Text>
  );
}
