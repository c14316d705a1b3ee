import React from 'react';
import {Text} from 'ink';
import type {UiState} from '../store/app-state.js';
import {useStore, type Store} from '../store/store.js';
import {safeText} from '../data/text/sanitize.js';

const selectPrompt = (s: UiState) => ({mode: s.mode, input: s.input});

/** The : command bar and the / filter prompt, with the command completion shown dimmed. */
export function Prompt({ui, complete}: {ui: Store<UiState>; complete: (input: string) => string | undefined}) {
  const {mode, input} = useStore(ui, selectPrompt);
  if (mode !== 'command' && mode !== 'filter') return null;
  const completion = mode === 'command' ? complete(input) : undefined;
  return (
    <Text>
      <Text color="yellow" bold>{mode === 'command' ? ':' : '/'}</Text>
      {safeText(input)}
      <Text inverse> </Text>
      {completion ? <Text dimColor>{completion.slice(input.trimStart().length)}  (tab)</Text> : null}
    </Text>
  );
}
