import assert from 'node:assert/strict';
import {mock, test} from 'node:test';
import type {AnyResource, DataContext} from '../../../source/resources/types.js';
import type {Health} from '../../../source/store/health.js';
import {SAMPLE_MS, SourceManager} from '../../../source/store/source-manager.js';

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

interface Row {
  id: string;
  cpu: number;
}

/** A manager over a fake resource: loads and samples are counted; the rows on screen are the first two. */
function manager(figure = (samples: number) => samples, onChange = () => {}) {
  const counts = {loads: 0, samples: 0, sampled: [] as string[][]};
  const resource = {
    // CPU is shown to the unit, as a table would round it.
    columns: [{id: 'id', header: 'ID', cell: (r: Row) => r.id}, {id: 'cpu', header: 'CPU', cell: (r: Row) => r.cpu.toFixed(0)}],
    id: 'fake',
    daemon: 'containerd',
    namespaced: false,
    followsEvents: true,
    rowKey: (r: Row) => r.id,
    load: async () => {
      counts.loads++;
      return [
        {id: 'a', cpu: 0},
        {id: 'b', cpu: 0},
        {id: 'c', cpu: 0},
      ];
    },
    sample: async (_ctx: DataContext, rows: Row[]) => {
      counts.samples++;
      counts.sampled.push(rows.map((r) => r.id));
      return rows.map((r) => ({...r, cpu: figure(counts.samples)}));
    },
  } as unknown as AnyResource;
  const ctx = {config: {refreshMs: 2_000}} as DataContext;
  const health = {markUp: () => {}, markDown: () => {}} as unknown as Health;
  const m = new SourceManager(ctx, health, onChange);
  m.onScreen = () => m.store('fake').getState().rows.slice(0, 2);
  return {m, counts, resource};
}

async function advance(ms: number) {
  for (let t = 0; t < ms; t += 500) {
    mock.timers.tick(500);
    await settle();
  }
}

test('figures are sampled for the rows on screen only, then every SAMPLE_MS; nothing at all while the focus is away; all at once when it is back', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {m, counts, resource} = manager();
    m.setCalm(true);
    m.show({resource, scope: {namespace: 'x', allNamespaces: false, params: {}}});
    await settle();
    await advance(1_500); // first sample at once, the second 1 s later
    assert.equal(counts.loads, 1);
    assert.equal(counts.samples, 2);
    assert.deepEqual(counts.sampled[0], ['a', 'b'], 'only the rows on screen');
    assert.deepEqual(
      m.store('fake').getState().rows.map((r) => (r as Row).cpu),
      [2, 2, 0],
      'sampled figures patched into the rows on screen',
    );
    await advance(SAMPLE_MS);
    assert.equal(counts.samples, 3);

    m.pause();
    const before = {...counts};
    m.refresh();
    m.onEvent('x');
    await advance(10 * 60_000);
    assert.equal(counts.loads, before.loads, 'no relist while unfocused, events included');
    assert.equal(counts.samples, before.samples, 'no sample while unfocused');

    m.resume();
    await settle();
    await advance(500);
    assert.equal(counts.loads, before.loads + 1, 'a forced relist on focus-in');
    assert.equal(counts.samples, before.samples + 1, 'and a sample');
    m.stop();
  } finally {
    mock.timers.reset();
  }
});

test('rows scrolled onto the screen are sampled soon after, rows already sampled are not asked again', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {m, counts, resource} = manager();
    let first = 0;
    m.onScreen = () => m.store('fake').getState().rows.slice(first, first + 2);
    m.show({resource, scope: {namespace: 'x', allNamespaces: false, params: {}}});
    await settle();
    await advance(1_500);
    assert.equal(counts.samples, 2);
    m.screenChanged(); // nothing new on screen
    await advance(1_000);
    assert.equal(counts.samples, 2, 'the same rows: no extra sample');
    first = 1; // row c scrolls in
    m.screenChanged();
    await advance(500);
    assert.equal(counts.samples, 3);
    assert.deepEqual(counts.sampled[2], ['b', 'c']);
    m.stop();
  } finally {
    mock.timers.reset();
  }
});

test('firstLoad settles at once with no table, with the first table\'s rows, or when that table is left before them', async () => {
  const {m, resource} = manager();
  assert.equal(await Promise.race([m.firstLoad().then(() => 'settled'), settle().then(() => 'pending')]), 'settled', 'no table shown: nothing to wait for');
  m.show({resource, scope: {namespace: 'default', allNamespaces: false}} as Parameters<SourceManager['show']>[0]);
  const first = m.firstLoad();
  let firstDone = false;
  void first.then(() => (firstDone = true));
  await settle();
  assert.equal(m.store('fake').getState().loaded, true);
  assert.equal(firstDone, true, 'settled once the rows are in');
  m.stop();

  // A table left before its first rows settles it too (a view switched away at once).
  const slow = {...resource, load: () => new Promise(() => {})} as unknown as AnyResource;
  const {m: m2} = manager();
  m2.show({resource: slow, scope: {namespace: 'default', allNamespaces: false}} as Parameters<SourceManager['show']>[0]);
  let left = false;
  void m2.firstLoad().then(() => (left = true));
  await settle();
  assert.equal(left, false, 'still waiting for rows that have not come');
  m2.stop();
  await settle();
  assert.equal(left, true);
});

test('a sample whose figures moved less than their cells show changes no row and draws no frame', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    // 0.1, 0.2, ...: each sample a new figure, all shown as "0" until the fifth.
    let changes = 0;
    const {m, counts, resource} = manager((n) => n / 10, () => changes++);
    m.show({resource, scope: {namespace: 'x', allNamespaces: false, params: {}}});
    await settle();
    const loaded = m.store('fake').getState().rows;
    changes = 0;
    await advance(1_500);
    assert.equal(counts.samples, 2);
    assert.equal(m.store('fake').getState().rows, loaded, 'the same rows: 0.1 and 0.2 both read 0');
    assert.equal(changes, 0);
    while (counts.samples < 5) await advance(SAMPLE_MS);
    assert.deepEqual(
      m.store('fake').getState().rows.map((r) => (r as Row).cpu),
      [0.5, 0.5, 0],
      'the fifth sample reads 1 on screen: the rows on screen take it',
    );
    assert.equal(changes, 1);
    m.stop();
  } finally {
    mock.timers.reset();
  }
});
