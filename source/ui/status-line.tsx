import React from 'react';
import {Text} from 'ink';
import type {UiState} from '../store/app-store.js';
import {useStore} from '../store/store.js';
import type {Store} from '../store/store.js';

const selectBits = (s: UiState) => ({stack: s.stack, status: s.status});

/** Breadcrumbs of the view stack, then the last message. */
export function StatusLine({ui}: {ui: Store<UiState>}) {
  const {stack, status} = useStore(ui, selectBits);
  return (
    <Text wrap="truncate-end">
      {stack.map((f, i) => (
        <Text key={i} inverse={i === stack.length - 1} color="yellow">{` <${f.resource}> `}</Text>
      ))}
      {status ? <Text color={status.level === 'error' ? 'red' : 'green'}>{`  ${status.text}`}</Text> : null}
    </Text>
  );
}
