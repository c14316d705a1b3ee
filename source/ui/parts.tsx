import React from 'react';
import {Text} from 'ink';
import type {TextPart} from '../data/text/sanitize.js';

/** Joins neighbouring parts of the same kind: fewer Text nodes for Ink to lay out. */
export function mergeParts(parts: TextPart[]): TextPart[] {
  const out: TextPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && Boolean(last.escape) === Boolean(p.escape)) out[out.length - 1] = {...last, text: last.text + p.text};
    else if (p.text) out.push(p);
  }
  return out;
}

/** Sanitised parts as children of a Text: the escapes dimmed, so they read as escapes, not as the name. */
export function partNodes(parts: TextPart[], style: {color?: string; backgroundColor?: string} = {}): React.ReactNode {
  const merged = mergeParts(parts);
  if (merged.length === 1 && !merged[0]!.escape && !style.color && !style.backgroundColor) return merged[0]!.text;
  return merged.map((p, i) => (
    <Text key={i} dimColor={p.escape} color={style.color} backgroundColor={style.backgroundColor}>
      {p.text}
    </Text>
  ));
}
