import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as nav from '../../../source/store/frames.js';

const frame = (id: number, view = 'v'): nav.Frame => ({id, view, crumb: view, state: {n: id}});

test('push, back, replaceRoot and update are pure and keep the root', () => {
  const start: nav.NavState = {stack: [frame(1)], namespace: 'default'};
  const pushed = nav.push(start, frame(2));
  assert.deepEqual(start.stack.map((f) => f.id), [1], 'push does not change its input');
  assert.deepEqual(pushed.stack.map((f) => f.id), [1, 2]);
  assert.equal(nav.top(pushed).id, 2);
  assert.deepEqual(nav.back(pushed).stack.map((f) => f.id), [1]);
  assert.equal(nav.back(start), start, 'the root stays');
  assert.deepEqual(nav.replaceRoot(pushed, frame(3)).stack.map((f) => f.id), [3]);
  const updated = nav.update(pushed, 1, {n: 9});
  assert.deepEqual(updated.stack[0]!.state, {n: 9});
  assert.equal(updated.stack[1], pushed.stack[1], 'other frames are the same objects');
  assert.equal(nav.update(pushed, 42, {n: 1}), pushed, 'a frame that is gone is left alone');
});

test('a namespace switch keeps only the reset root; removedFrames names every frame that left', () => {
  const s: nav.NavState = {stack: [frame(1), frame(2), frame(3)], namespace: 'a'};
  const switched = nav.switchNamespace(s, 'b', (root) => ({...root, state: {n: 0}}));
  assert.equal(switched.namespace, 'b');
  assert.deepEqual(switched.stack, [{...frame(1), state: {n: 0}}]);
  assert.deepEqual(nav.removedFrames(s.stack, switched.stack).map((f) => f.id), [2, 3]);
  assert.deepEqual(nav.removedFrames(s.stack, s.stack), []);
});
