import React from 'react';
import {Box, Text} from 'ink';
import type {UiState} from '../store/app-state.js';
import {useStore, type Store} from '../store/store.js';

const selectBits = (s: UiState) => ({stack: s.stack, status: s.status, busy: s.busy});

/** Breadcrumbs of the view stack, then what is running or the last message, wrapped (never cut) onto `lines` lines. */
export function StatusLine({ui, lines}: {ui: Store<UiState>; lines: number}) {
  const {stack, status, busy} = useStore(ui, selectBits);
  return (
    <Box height={lines} overflow="hidden">
      <Text wrap="wrap">
        {stack.map((f, i) => (
          <Text key={i} inverse={i === stack.length - 1} color="yellow">{` <${f.crumb}> `}</Text>
        ))}
        {busy ? <Text color="yellow">{`  ⟳ ${busy}…`}</Text> : status ? <Text color={status.level === 'error' ? 'red' : 'green'}>{`  ${status.text}`}</Text> : null}
      </Text>
    </Box>
  );
}
