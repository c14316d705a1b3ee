import React from 'react';
import {Text} from 'ink';
import {keyLabel, type Binding} from '../keys/bindings.js';

/** A binding as the hint bar shows it: dimmed when it cannot run now (read-only, or its disabled reason). */
export interface Hint extends Binding {
  off?: boolean;
}

/** One line of <key> label pairs, built from the same binding tables as ? help. */
export function Hints({hints}: {hints: Hint[]}) {
  return (
    <Text wrap="truncate-end">
      {hints.map((b) => (
        <Text key={b.id} dimColor={b.off}>
          <Text color={b.dangerous ? 'red' : 'blue'}>{`<${keyLabel(b.keys[0]!)}>`}</Text>
          {` ${b.label}  `}
        </Text>
      ))}
    </Text>
  );
}
