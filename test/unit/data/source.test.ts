import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Source} from '../../../source/data/source.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('triggers during a load coalesce into one more load, never two at once', async () => {
  let running = 0;
  let maxRunning = 0;
  let loads = 0;
  const source = new Source<number>({
    intervalMs: 60_000,
    load: async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      loads++;
      await tick(30);
      running--;
      return loads;
    },
    onData: () => {},
    onError: () => {},
  });
  source.start();
  await tick(5);
  source.trigger();
  source.trigger();
  source.trigger();
  await tick(100);
  source.stop();
  assert.equal(maxRunning, 1);
  assert.equal(loads, 2);
});

test('failures are reported and retried with backoff, then data flows again', async () => {
  let n = 0;
  const errors: string[] = [];
  const data: number[] = [];
  const source = new Source<number>({
    intervalMs: 60_000,
    maxBackoffMs: 300,
    load: async () => {
      n++;
      if (n <= 2) throw new Error(`fail ${n}`);
      return n;
    },
    onData: (d) => {
      data.push(d);
    },
    onError: (e) => errors.push((e as Error).message),
  });
  source.start();
  await tick(1_000);
  source.stop();
  assert.deepEqual(errors, ['fail 1', 'fail 2']);
  assert.deepEqual(data, [3]);
});
