import assert from 'node:assert/strict';
import {mock, test} from 'node:test';
import {relistDelay, Source} from '../../../source/data/source.js';

/** Lets the awaited load and its continuation run (real microtasks; timers are mocked). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A source whose loads are counted, the clock mocked: returns when each load ran (ms since start). */
function calmSource(opts: {changed?: () => boolean} = {}) {
  const at: number[] = [];
  let now = 0;
  const source = new Source<number>({
    intervalMs: 2_000,
    calmMaxMs: 300_000,
    load: async () => {
      at.push(now);
      return at.length;
    },
    // The first load is news; after it, nothing changes unless the test says so.
    onData: () => opts.changed?.() ?? at.length === 1,
    onError: () => {},
  });
  const advance = async (ms: number) => {
    // One second at a time, so each timer fires at its time and the next is set from there.
    for (let t = 0; t < ms; t += 1_000) {
      now += 1_000;
      mock.timers.tick(1_000);
      await settle();
    }
  };
  return {source, at, advance};
}

test('the relist wait: the interval after news, the calm maximum after a relist that found nothing while calm; plain while not calm; short after failures', () => {
  const o = {intervalMs: 2_000, calmMaxMs: 300_000, maxBackoffMs: 2_000};
  const calm = [0, 1, 2, 20].map((quiet) => relistDelay(o, {failures: 0, quiet, calm: true}));
  assert.deepEqual(calm, [2_000, 300_000, 300_000, 300_000]);
  assert.equal(relistDelay(o, {failures: 0, quiet: 4, calm: false}), 2_000);
  assert.equal(relistDelay({intervalMs: 2_000}, {failures: 0, quiet: 4, calm: true}), 2_000, 'no calm maximum: no back-off');
  assert.deepEqual([1, 2, 3, 4].map((failures) => relistDelay(o, {failures, quiet: 3, calm: true})), [250, 500, 1_000, 2_000]);
});

test('a calm source that finds nothing new relists at 2 s (after the first load\'s news), then every 300 s (fake clock)', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {source, at, advance} = calmSource();
    source.calm(true);
    source.start();
    await settle();
    await advance(480_000);
    source.stop();
    assert.deepEqual(at, [0, 2_000, 302_000]);
  } finally {
    mock.timers.reset();
  }
});

test('a load that found news (an event\'s) is followed by one relist at the interval; losing calm (the stream) brings the plain interval back at once', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    // News at the first load and at the trigger's (the third).
    const {source, at, advance} = calmSource({changed: () => at.length === 1 || at.length === 3});
    source.calm(true);
    source.start();
    await settle();
    await advance(50_000); // loads at 0, 2; the next would be at 302
    source.trigger(); // at 50
    await settle();
    await advance(10_000); // the trigger's load found news: one more 2 s later, which found nothing, then 300 s
    assert.deepEqual(at, [0, 2_000, 50_000, 52_000]);
    source.calm(false); // at 60: the wait was 300 s, now it is 2 s
    await advance(4_000);
    source.stop();
    assert.deepEqual(at.slice(4), [62_000, 64_000]);
  } finally {
    mock.timers.reset();
  }
});

test('paused, a source neither relists nor loads on triggers; resume(refresh) loads at once, once', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {source, at, advance} = calmSource({changed: () => true});
    source.start();
    await settle();
    source.pause();
    await advance(60_000);
    source.trigger();
    source.trigger();
    await settle();
    assert.deepEqual(at, [0], 'nothing while paused');
    source.resume(true);
    await settle();
    assert.deepEqual(at, [0, 60_000], 'one load on resume');
    await advance(2_000);
    source.stop();
    assert.deepEqual(at, [0, 60_000, 62_000], 'then the interval again');
  } finally {
    mock.timers.reset();
  }
});

test('a load that outlives a pause is followed by one more when the focus comes back', async () => {
  let loads = 0;
  let release: () => void = () => {};
  const source = new Source<number>({
    intervalMs: 60_000,
    load: () =>
      new Promise<number>((resolve) => {
        loads++;
        release = () => resolve(loads);
      }),
    onData: () => true,
    onError: () => {},
  });
  source.start();
  source.pause();
  source.resume(true); // while the first load is still out
  release();
  await new Promise((r) => setImmediate(r));
  assert.equal(loads, 2, 'the forced refresh ran after the load that was out');
  release();
  source.stop();
});
