import React from 'react';
import {Box, Text} from 'ink';
import type {DialogState, FormState} from '../store/app-state.js';
import {safeText} from '../data/text/sanitize.js';

/** A confirmation that names exactly what will change. Cancel has the focus first. */
export function Dialog({dialog, width}: {dialog: DialogState; width: number}) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="red" paddingX={1} width={Math.min(width, 100)}>
      <Text bold color="red">{dialog.title}</Text>
      {dialog.lines.map((l, i) => (
        <Text key={i} wrap="wrap">{l}</Text>
      ))}
      <Box marginTop={1}>
        <Text inverse={dialog.focus === 'cancel'}> Cancel </Text>
        <Text>  </Text>
        <Text inverse={dialog.focus === 'confirm'} color="red">{` ${dialog.confirmLabel} `}</Text>
        <Text dimColor>   y confirm · n/esc cancel · tab switch · enter press</Text>
      </Box>
    </Box>
  );
}

/** A small form: one line per field, tab/enter to move, enter on the last field submits. */
export function Form({form, width}: {form: FormState; width: number}) {
  const labelWidth = Math.max(...form.fields.map((f) => f.label.length)) + 1;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={Math.min(width, 100)}>
      <Text bold color="cyan">{form.title}</Text>
      {form.lines.map((l, i) => (
        <Text key={`l${i}`} color="yellow" wrap="wrap">{l}</Text>
      ))}
      {form.fields.map((f, i) => (
        <Text key={f.id} wrap="truncate-end">
          <Text color={i === form.focus ? 'cyan' : undefined} bold={i === form.focus}>{(f.label + ':').padEnd(labelWidth + 1)}</Text>
          {f.secret ? '*'.repeat(f.value.length) : safeText(f.value)}
          {i === form.focus ? <Text inverse> </Text> : null}
          {f.hint && !f.value ? <Text dimColor>  {f.hint}</Text> : null}
        </Text>
      ))}
      <Text dimColor>tab/enter next field · enter on the last: {form.submitLabel} · esc cancel</Text>
    </Box>
  );
}
