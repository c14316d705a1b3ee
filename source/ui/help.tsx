import React from 'react';
import {Box, Text} from 'ink';
import {allNamespacesBinding, detailBindings, dialogBindings, globalBindings, keyLabel, logBindings, tableBindings, treeBindings, type Binding} from '../keys/bindings.js';
import {resources} from '../resources/registry.js';
import type {AnyResource} from '../resources/types.js';

function Section({title, bindings}: {title: string; bindings: Binding[]}) {
  return (
    <Box flexDirection="column" marginRight={3} flexShrink={0}>
      <Text bold color="cyan">{title}</Text>
      {bindings.map((b) => (
        <Text key={b.id}>
          <Text color={b.dangerous ? 'red' : 'blue'}>{b.keys.map(keyLabel).join(',').padEnd(11)}</Text> {b.label}
          {b.disabled ? <Text dimColor> ({b.disabled})</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** ? help: the active view's keys, generated from the same binding tables the hint bar uses. */
export function Help({resource, view}: {resource: AnyResource | undefined; view: 'table' | 'detail' | 'logs' | 'tree'}) {
  const detail = view !== 'table' || !resource;
  const sortBindings: Binding[] = (resource?.columns ?? [])
    .filter((c) => c.sortKey)
    .map((c) => ({id: `sort-${c.id}`, keys: [c.sortKey!], label: `sort by ${c.header.toLowerCase()}`}));
  const own =
    view === 'detail'
      ? detailBindings
      : view === 'logs'
        ? logBindings
        : view === 'tree' || !resource
          ? treeBindings
          : [...resource.actions, ...(resource.allNamespaces ? [allNamespacesBinding] : []), ...sortBindings];
  const commands = resources
    .filter((r) => !r.nested)
    .map((r) => `:${r.id}${r.aliases.length ? ` (${r.aliases.map((a) => ':' + a).join(' ')})` : ''}`)
    .join('  ');
  return (
    <Box flexDirection="column">
      <Text bold>Help: {view === 'table' && resource ? resource.title : view === 'detail' ? 'describe' : view === 'tree' ? 'etcd keys' : 'logs'} (esc to close)</Text>
      <Box flexWrap="wrap">
        <Section title={view === 'table' && resource ? resource.title.toUpperCase() : view === 'tree' ? 'KEYS' : view.toUpperCase()} bindings={own} />
        {detail ? null : <Section title="NAVIGATION" bindings={tableBindings} />}
        <Section title="GENERAL" bindings={globalBindings} />
        <Section title="DIALOGS" bindings={dialogBindings} />
      </Box>
      <Text dimColor wrap="wrap">commands: {commands}  :ns NAME  :VIEW all  :q</Text>
      <Text dimColor>filter: /text  /!text (inverted)  /-l key=value (labels)</Text>
    </Box>
  );
}
