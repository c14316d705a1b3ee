import React from 'react';
import {Text} from 'ink';
import {keyLabel, type Binding} from '../keys/bindings.js';

/** A binding as the hint bar shows it: dimmed when it cannot run now (read-only, or its disabled reason). */
export interface Hint extends Binding {
  off?: boolean;
}

const sameHints = (a: {hints: Hint[]}, b: {hints: Hint[]}) =>
  a.hints.length === b.hints.length &&
  a.hints.every((h, i) => {
    const o = b.hints[i]!;
    return h.id === o.id && h.off === o.off && h.label === o.label && h.dangerous === o.dangerous && h.keys[0] === o.keys[0];
  });

/**
 * One line of <key> label pairs, built from the same binding tables as ? help. The app re-renders
 * for every age tick and sample, with the same hints nearly always: they are not drawn again then.
 */
export const Hints = React.memo(HintsLine, sameHints);

function HintsLine({hints}: {hints: Hint[]}) {
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
