import React from 'react';
import {Text} from 'ink';
import stringWidth from 'string-width';
import {keyLabel, type Binding} from '../keys/bindings.js';

/** A binding as the hint bar shows it: dimmed when it cannot run now (read-only, or its disabled reason). */
export interface Hint extends Binding {
  off?: boolean;
}

const hintText = (b: Hint) => ({key: `<${keyLabel(b.keys[0]!)}>`, label: ` ${b.label}  `});

/** The hints that fit whole into `width` columns, in order (the rest are in ? help). */
export function fittingHints(hints: Hint[], width: number): Hint[] {
  const out: Hint[] = [];
  let used = 0;
  for (const b of hints) {
    const {key, label} = hintText(b);
    // The last one is drawn without its two trailing spaces.
    const w = stringWidth(key) + stringWidth(label.trimEnd());
    if (used + w > width) break;
    out.push(b);
    used += w + 2;
  }
  return out;
}

/**
 * One line of <key> label pairs, built from the same binding tables as ? help: as many as fit
 * whole, as k9s shows them (a hint cut in half helps nobody, and Ink's own truncation of the line
 * was the one use of a grapheme segmenter in a start).
 */
export const Hints = React.memo(HintsLine, sameHints);

// The app re-renders for every age tick and sample, with the same hints nearly always: not drawn again then.
function sameHints(a: {hints: Hint[]; width: number}, b: {hints: Hint[]; width: number}): boolean {
  return (
    a.width === b.width &&
    a.hints.length === b.hints.length &&
    a.hints.every((h, i) => {
      const o = b.hints[i]!;
      return h.id === o.id && h.off === o.off && h.label === o.label && h.dangerous === o.dangerous && h.keys[0] === o.keys[0];
    })
  );
}

function HintsLine({hints, width}: {hints: Hint[]; width: number}) {
  return (
    <Text wrap="truncate-end">
      {fittingHints(hints, width).map((b, i, shown) => {
        const {key, label: spaced} = hintText(b);
        const label = i === shown.length - 1 ? spaced.trimEnd() : spaced;
        return (
          <Text key={b.id} dimColor={b.off}>
            <Text color={b.dangerous ? 'red' : 'blue'}>{key}</Text>
            {label}
          </Text>
        );
      })}
    </Text>
  );
}
