import React from 'react';
import {Box, Text} from 'ink';
import type {ViewProps} from '../types.js';
import {helpSections, keysText, type HelpSection, type HelpState} from './model.js';

function Section({section}: {section: HelpSection}) {
  return (
    <Box flexDirection="column" marginRight={3} flexShrink={0}>
      <Text bold color="cyan">{section.title}</Text>
      {section.bindings.map((b) => (
        <Text key={b.id}>
          <Text color={b.dangerous ? 'red' : 'blue'}>{keysText(b).padEnd(11)}</Text> {b.label}
          {b.disabled ? <Text dimColor> ({b.disabled})</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** ? help: the keys of the view it was opened over, and of every mode, from the binding tables themselves. */
export function Help({app, frame, height}: ViewProps<HelpState>) {
  const {heading, sections, commands} = helpSections(app, frame);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      <Text bold>Help: {heading} (esc to close)</Text>
      <Box flexWrap="wrap">
        {sections.map((s) => (
          <Section key={s.title} section={s} />
        ))}
      </Box>
      <Text dimColor wrap="wrap">commands: {commands}  :ns NAME  :VIEW all</Text>
      <Text dimColor>filter: /text  /!text (inverted)  /-l key=value (labels)</Text>
    </Box>
  );
}
