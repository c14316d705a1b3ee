import assert from 'node:assert/strict';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import {fittingHints, Hints, type Hint} from '../../../source/ui/hints.js';

const hint = (id: string, key: string, label: string): Hint => ({id, keys: [key], label, hint: true}) as unknown as Hint;
const hints = [hint('describe', 'd', 'describe'), hint('logs', 'l', 'logs'), hint('shell', 's', 'shell'), hint('delete', 'ctrl-d', 'delete')];

test('the hint bar shows the hints that fit whole, in order, and no part of the next', () => {
  // "<d> describe  <l> logs  <s> shell" is 33 columns.
  assert.deepEqual(fittingHints(hints, 33).map((h) => h.id), ['describe', 'logs', 'shell']);
  assert.deepEqual(fittingHints(hints, 32).map((h) => h.id), ['describe', 'logs']);
  assert.deepEqual(fittingHints(hints, 5).map((h) => h.id), []);
  const {lastFrame, unmount} = render(<Hints hints={hints} width={33} />);
  try {
    assert.equal(lastFrame(), '<d> describe  <l> logs  <s> shell');
  } finally {
    unmount();
  }
});
