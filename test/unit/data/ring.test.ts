import assert from 'node:assert/strict';
import {test} from 'node:test';
import {LineRing} from '../../../source/data/logs/ring.js';

test('a ring below capacity keeps every line in order and drops nothing', () => {
  const ring = new LineRing(4);
  assert.deepEqual(ring.lines(), []);
  ring.push('a');
  ring.push('b');
  assert.deepEqual(ring.lines(), ['a', 'b']);
  assert.equal(ring.size, 2);
  assert.equal(ring.dropped, 0);
});

test('a full ring keeps the newest capacity lines and counts the ones that fell off', () => {
  const ring = new LineRing(3);
  for (let i = 1; i <= 10; i++) ring.push(`line ${i}`);
  assert.deepEqual(ring.lines(), ['line 8', 'line 9', 'line 10']);
  assert.equal(ring.size, 3);
  assert.equal(ring.dropped, 7);
  // Exactly at the wrap point too.
  const exact = new LineRing(3);
  for (const l of ['x', 'y', 'z']) exact.push(l);
  assert.deepEqual(exact.lines(), ['x', 'y', 'z']);
  assert.equal(exact.dropped, 0);
  exact.push('w');
  assert.deepEqual(exact.lines(), ['y', 'z', 'w']);
  assert.equal(exact.dropped, 1);
});

test('a capacity of one keeps the last line', () => {
  const ring = new LineRing(1);
  ring.push('a');
  ring.push('b');
  assert.deepEqual(ring.lines(), ['b']);
  assert.equal(ring.dropped, 1);
});

test('lines() is a copy and clear() starts over', () => {
  const ring = new LineRing<{text: string}>(2);
  ring.push({text: 'a'});
  const copy = ring.lines();
  copy.push({text: 'not in the ring'});
  assert.equal(ring.size, 1);
  ring.push({text: 'b'});
  ring.push({text: 'c'});
  ring.clear();
  assert.equal(ring.size, 0);
  assert.equal(ring.dropped, 0);
  assert.deepEqual(ring.lines(), []);
  ring.push({text: 'd'});
  assert.deepEqual(ring.lines(), [{text: 'd'}]);
});

test('push stays O(1): a million pushes into a small ring are quick', () => {
  const ring = new LineRing(1000);
  const t0 = performance.now();
  for (let i = 0; i < 1_000_000; i++) ring.push(`line ${i}`);
  const ms = performance.now() - t0;
  assert.equal(ring.size, 1000);
  assert.equal(ring.dropped, 999_000);
  assert.equal(ring.lines()[0], 'line 999000');
  assert.ok(ms < 2000, `1e6 pushes took ${ms.toFixed(0)} ms`);
});

test('a capacity that is not a positive integer is refused', () => {
  assert.throws(() => new LineRing(0), RangeError);
  assert.throws(() => new LineRing(2.5), RangeError);
});
