import React from 'react';
import {Text} from 'ink';
import {globalBindings, keyLabel, type Binding} from '../keys/bindings.js';

export function hintBindings(actions: Binding[]): Binding[] {
  return [...actions.filter((a) => a.hint), ...globalBindings.filter((b) => b.hint)];
}

/** One line of <key> label pairs, built from the same binding lists as ? help. */
export function Hints({actions, readonly}: {actions: Binding[]; readonly: boolean}) {
  return (
    <Text wrap="truncate-end">
      {hintBindings(actions).map((b) => {
        const off = Boolean(b.disabled) || (readonly && b.dangerous);
        return (
          <Text key={b.id} dimColor={off}>
            <Text color={b.dangerous ? 'red' : 'blue'}>{`<${keyLabel(b.keys[0]!)}>`}</Text>
            {` ${b.label}  `}
          </Text>
        );
      })}
    </Text>
  );
}
