import React from 'react';
import {Text} from 'ink';
import {globalBindings, keyLabel, type Binding} from '../keys/bindings.js';

export function hintBindings(actions: Binding[], filterable = true): Binding[] {
  return [...actions.filter((a) => a.hint), ...globalBindings.filter((b) => b.hint && (filterable || b.id !== 'filter'))];
}

/** One line of <key> label pairs, built from the same binding lists as ? help. */
export function Hints({actions, readonly, filterable = true}: {actions: Binding[]; readonly: boolean; filterable?: boolean}) {
  return (
    <Text wrap="truncate-end">
      {hintBindings(actions, filterable).map((b) => {
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
