import React from 'react';
import {Box, Text} from 'ink';
import {globalBindings, keyLabel, tableBindings, type Binding} from '../keys/bindings.js';
import type {AnyResource} from '../resources/types.js';

function Section({title, bindings}: {title: string; bindings: Binding[]}) {
  return (
    <Box flexDirection="column" marginRight={4}>
      <Text bold color="cyan">{title}</Text>
      {bindings.map((b) => (
        <Text key={b.id}>
          <Text color={b.dangerous ? 'red' : 'blue'}>{b.keys.map(keyLabel).join(',').padEnd(12)}</Text> {b.label}
          {b.disabled ? <Text dimColor> ({b.disabled})</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** ? help: the active view's keys, generated from the binding tables. */
export function Help({resource}: {resource: AnyResource}) {
  const sortBindings: Binding[] = resource.columns
    .filter((c) => c.sortKey)
    .map((c) => ({id: `sort-${c.id}`, keys: [c.sortKey!], label: `sort by ${c.header.toLowerCase()}`}));
  return (
    <Box flexDirection="column">
      <Text bold>Help: {resource.title} (esc to close)</Text>
      <Box>
        <Section title={resource.title.toUpperCase()} bindings={[...resource.actions, ...sortBindings]} />
        <Section title="NAVIGATION" bindings={tableBindings} />
        <Section title="GENERAL" bindings={globalBindings} />
      </Box>
      <Text dimColor>commands: :images (:img, :i)  :ns [name]  :q   filter: /text  /!text  /-l key=value</Text>
    </Box>
  );
}
