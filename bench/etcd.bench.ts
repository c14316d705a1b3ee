/**
 * The etcd key tree with 100,000 keys: how undock's paged, revision-pinned load compares with
 * `etcdctl get --prefix --keys-only` on the same data, when the first level is there, what opening
 * a 10,000-key folder costs, memory per key held, and the built CLI in a pty (first level on screen,
 * a folder opened, a write on screen). Run by scripts/bench.sh against its own sandbox.
 */
import {performance} from 'node:perf_hooks';
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import type {IRequestOp} from 'etcd3';
import {EtcdClient} from '../source/data/etcd/client.js';
import {prefixRange} from '../source/data/etcd/keys.js';
import {keysViewOpen} from './keys-open.js';
import {compactNow} from './keys-data.js';
import {KeyTreeFeed} from '../source/views/keys/feed.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {ScreenClock, flushed, residentKb, selectedRow} from './pty-clock.js';
import {BenchReport, formatMs, mapLimit, runCli, sample, sleep, summarize, timeMs} from './helpers.js';

const ROOT = '/bench';
const COUNT = 100_000;
/** The one big folder: 10,000 direct keys, as a busy cluster's events of one namespace. */
const BIG_FOLDER = '/bench/registry/events/default/';
const BIG_FOLDER_KEYS = 10_000;
/** 9 resources x 50 namespaces x 200 names = 90,000 keys beside the big folder. */
const RESOURCES = ['configmaps', 'deployments', 'endpointslices', 'leases', 'pods', 'replicasets', 'secrets', 'serviceaccounts', 'services'];
const NAMESPACES = 50;
const NAMES = 200;
const TXN_OPS = 128; // etcd's default --max-txn-ops
const TXNS_IN_FLIGHT = 8;
const RUNS = 5;
const WRITES = 50;
/** Between writes: past the tree's 20 ms coalescing and Ink's render throttle, so each write is its own frame. */
const WRITE_GAP_MS = 120;

const GOAL_LOAD_RATIO = 1.5;
const BUDGET_LOAD_RATIO = 2;
const GOAL_FIRST_LEVEL_MS = 250;
const BUDGET_FIRST_LEVEL_MS = 1_000;
const GOAL_BYTES_PER_KEY = 250;
const BUDGET_BYTES_PER_KEY = 600;
const GOAL_WRITE_P99_MS = 100;
const BUDGET_WRITE_P99_MS = 300;

process.env.ETCDCTL_API = '3';
const env = sandboxEnv();
const endpoints = env.etcdEndpoints.split(',');
// The client whose loads are measured, and another one that writes (its traffic stays apart).
const client = new EtcdClient(endpoints);
const writer = new EtcdClient(endpoints);
const report = new BenchReport(`etcd key tree: ${COUNT.toLocaleString('en')} keys under ${ROOT}/ (etcd ${env.etcdEndpoints})`);
const benchStart = performance.now();

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Kubernetes-shaped keys: /bench/registry/<resource>/<namespace>/<name>, plus the big folder. */
function benchKeys(): string[] {
  const keys: string[] = [];
  for (let i = 0; i < BIG_FOLDER_KEYS; i++) keys.push(`${BIG_FOLDER}ev-${pad(i, 5)}`);
  for (const resource of RESOURCES) {
    const kind = resource.slice(0, -1);
    for (let n = 0; n < NAMESPACES; n++) {
      for (let m = 0; m < NAMES; m++) keys.push(`${ROOT}/registry/${resource}/ns-${pad(n, 2)}/${kind}-${pad(m, 3)}`);
    }
  }
  return keys;
}

/** A small JSON object per key (about 200 bytes): the values etcd stores but a keys-only read skips. */
function valueOf(key: string, i: number): Buffer {
  const parts = key.split('/');
  return Buffer.from(
    JSON.stringify({
      kind: parts[3],
      apiVersion: 'v1',
      metadata: {name: parts[5], namespace: parts[4], uid: `00000000-0000-4000-8000-${pad(i, 12)}`, resourceVersion: String(i), labels: {app: 'bench'}},
    }),
  );
}

const etcdctl = (...args: string[]) => runCli('etcdctl', args);

async function deleteBench(): Promise<number> {
  const res = await writer.write('the bench', (etcd) => etcd.kv.deleteRange(prefixRange(`${ROOT}/`)));
  return Number(res.deleted);
}

async function writeKeys(keys: string[]): Promise<void> {
  const batches: IRequestOp[][] = [];
  for (let i = 0; i < keys.length; i += TXN_OPS) {
    batches.push(keys.slice(i, i + TXN_OPS).map((key, j) => ({request_put: {key: Buffer.from(key), value: valueOf(key, i + j)}})));
  }
  await mapLimit(batches, TXNS_IN_FLIGHT, (success) => writer.write('the bench', (etcd) => etcd.kv.txn({compare: [], success, failure: []})));
}

/**
 * One tree from scratch: ms to the first level with its counts (the root discovered, `loading:
 * false`), then to every key listed (the filter's index, what a filter or a full read loads).
 */
function loadTree(): Promise<{feed: KeyTreeFeed; firstLevelMs: number; fullMs: number}> {
  const feed = new KeyTreeFeed(client, ROOT);
  return new Promise((resolve, reject) => {
    let firstLevelMs: number | undefined;
    const timer = setTimeout(() => done(new Error('the tree did not load within 60 s')), 60_000);
    const done = (err?: Error) => {
      unsubscribe();
      clearTimeout(timer);
      if (err) {
        feed.stop();
        reject(err);
      }
    };
    const started = performance.now();
    const unsubscribe = feed.store.subscribe(() => {
      const at = performance.now() - started;
      const s = feed.store.getState();
      if (s.error) return done(new Error(`the tree load failed: ${s.error}`));
      if (firstLevelMs === undefined && !s.loading) {
        firstLevelMs = at;
        feed.wantIndex();
      }
      if (s.index?.done) {
        done();
        resolve({feed, firstLevelMs: firstLevelMs ?? at, fullMs: at});
      }
    });
    feed.start();
  });
}

/** A collector even when node was started without --expose-gc (scripts/bench.sh runs plain node). */
function garbageCollector(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function settledHeap(gc: () => void): Promise<number> {
  // Twice, with a turn of the loop between: weak callbacks and finalizers run after the first.
  gc();
  await sleep(50);
  gc();
  return process.memoryUsage().heapUsed;
}

/** The `/` folder row of the root level (every key under /: the seeded ones and /bench's). */
const ROOT_ROW = /^ [▸▾] \/ +\d+ keys/m;
/** The tree's title line once the whole keyspace is in: its key count `[N]`, and no `loading a/b`. */
const loadedTitleWith = (text: string, atLeast: number) => {
  const title = text.split('\n').find((l) => l.includes(' etcd keys '));
  const count = title && !title.includes(' loading ') ? /\[(\d+)\]/.exec(title) : null;
  return !!count && Number(count[1]) >= atLeast;
};
const loadedTitle = (text: string) => loadedTitleWith(text, COUNT);
const ptyArgs = ['--view', 'keys'];
const ptySize = {cols: 140, rows: 40};

/** The CLI's resident memory with the whole keyspace loaded and drawn. */
async function ptyResident(atLeast: number): Promise<number> {
  const s = new PtySession({args: ptyArgs, ...ptySize});
  try {
    const clock = new ScreenClock(s);
    await clock.when((t) => loadedTitleWith(t, atLeast), `${atLeast}+ keys loaded`, 60_000);
    await sleep(1_000);
    return residentKb(s.proc.pid);
  } finally {
    s.kill();
  }
}

/** Spawn to first frame, to the root row, and to the whole keyspace on screen. */
async function ptyStart(): Promise<{frameMs: number; rootMs: number; fullMs: number}> {
  const started = performance.now();
  const s = new PtySession({args: ptyArgs, ...ptySize});
  try {
    const clock = new ScreenClock(s);
    const frame = clock.when((t) => t.includes(' etcd keys '), 'the tree title', 20_000);
    const root = clock.when((t) => ROOT_ROW.test(t), 'the / row', 20_000);
    const full = clock.when(loadedTitle, `${COUNT}+ keys loaded`, 60_000);
    return {frameMs: (await frame) - started, rootMs: (await root) - started, fullMs: (await full) - started};
  } finally {
    s.kill();
  }
}

/** Presses j until the selected row is the folder `name/` (below the current row). */
async function selectFolder(s: PtySession, clock: ScreenClock, name: string): Promise<void> {
  const wanted = new RegExp(`[▸▾] ${name.replace(/[.]/g, '\\.')}/ `);
  for (let i = 0; i < 60; i++) {
    await flushed(s);
    const before = selectedRow(s);
    if (before && wanted.test(before)) return;
    s.proc.write('j');
    await clock.when(() => selectedRow(s) !== before, `the selection moved from ${before}`);
    await sleep(40);
  }
  throw new Error(`pty: folder ${name}/ not reached with j; screen:\n${s.text()}`);
}

/** In one session: open the folders down to the big one, time its opening, then writes in it on screen. */
async function ptyNavigateAndWrite(): Promise<{expand: number[]; fromAck: number[]; fromSend: number[]; rssKb: number}> {
  const s = new PtySession({args: ptyArgs, ...ptySize});
  try {
    const clock = new ScreenClock(s);
    await clock.when(loadedTitle, `${COUNT}+ keys loaded`, 60_000);
    const rssKb = residentKb(s.proc.pid);
    const enter = async (name: string) => {
      await selectFolder(s, clock, name);
      s.proc.write('\r');
      // A folder is read when opened: its rows are there once the title stops saying loading.
      await clock.when((t) => !!selectedRow(s)?.includes(`▾ ${name}/`) && !/etcd keys[^\n]* loading/.test(t), `${name}/ open and loaded`);
      await sleep(40);
    };
    await enter('');
    await enter('bench');
    await enter('registry');
    await enter('events');
    await selectFolder(s, clock, 'default');

    const firstLeaf = (t: string) => t.includes('ev-00000');
    const expand: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      const t0 = performance.now();
      s.proc.write('\r');
      expand.push((await clock.when(firstLeaf, 'ev-00000 on screen')) - t0);
      await sleep(200);
      s.proc.write('\r');
      await clock.when((t) => !firstLeaf(t), 'the folder closed');
      await sleep(200);
    }
    s.proc.write('\r');
    await clock.when(firstLeaf, 'ev-00000 on screen');
    await sleep(300);

    // Each write's name sorts before the last one's and before ev-*: it lands right under the folder row.
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const name = `a-write-${pad(999 - i, 3)}`;
      const shown = clock.when((t) => t.includes(` ${name} `), `${name} on screen`, 5_000);
      const t0 = performance.now();
      await writer.write('the bench', (etcd) => etcd.put(`${BIG_FOLDER}${name}`).value(`written by the bench at ${new Date().toISOString()}`).exec());
      const acked = performance.now();
      const at = await shown;
      fromSend.push(at - t0);
      fromAck.push(at - acked);
      await sleep(WRITE_GAP_MS);
    }
    const stored = etcdctl('get', '--prefix', '--keys-only', `${BIG_FOLDER}a-write-`).split('\n').filter(Boolean).length;
    if (stored !== WRITES) throw new Error(`etcdctl lists ${stored} written keys, expected ${WRITES}`);
    return {expand, fromAck, fromSend, rssKb};
  } finally {
    s.kill();
  }
}

async function main(): Promise<void> {
  // 1. The data, on a clean /bench/ (the CLI's memory is read before and after it is there).
  const leftover = await deleteBench();
  if (leftover > 0) console.error(`bench: deleted ${leftover} keys an earlier run left under ${ROOT}/`);
  const seededKeys = Number((await writer.reads.range({...prefixRange(''), count_only: true})).count);
  const rssBeforeKb = await ptyResident(seededKeys);
  const keys = benchKeys();
  if (keys.length !== COUNT) throw new Error(`${keys.length} bench keys, expected ${COUNT}`);
  const writeMs = await timeMs(() => writeKeys(keys));
  report.single(
    `write ${COUNT} keys (txns of ${TXN_OPS} puts, ${TXNS_IN_FLIGHT} in flight)`,
    formatMs(writeMs),
    `${Math.round(COUNT / (writeMs / 1000))}/s, ~200 B values`,
  );

  // 2a. etcd's own CLI on the same data.
  const ctlSamples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    let lines = 0;
    const ms = await timeMs(() => {
      lines = etcdctl('get', '--prefix', ROOT, '--keys-only').split('\n').filter(Boolean).length;
    });
    if (lines !== COUNT) throw new Error(`etcdctl get --prefix ${ROOT} --keys-only printed ${lines} keys`);
    if (i > 0) ctlSamples.push(ms); // the first warms the page cache and etcd
  }
  const ctl = summarize(ctlSamples);
  report.series(`(a) etcdctl get --prefix ${ROOT} --keys-only (wall, process start included)`, ctl);

  // 2b. undock's tree load.
  const firstLevel: number[] = [];
  const full: number[] = [];
  let loaded: KeyTreeFeed | undefined;
  for (let i = 0; i <= RUNS; i++) {
    const run = await loadTree();
    if (run.feed.flat.size !== COUNT || run.feed.total !== COUNT) throw new Error(`the tree holds ${run.feed.flat.size} keys (counted ${run.feed.total}), expected ${COUNT}`);
    run.feed.stop();
    if (i === 0) continue;
    firstLevel.push(run.firstLevelMs);
    full.push(run.fullMs);
    loaded = run.feed;
  }
  const fullStats = summarize(full);
  const firstStats = summarize(firstLevel);
  report.series(`(b) KeyTreeFeed: first level with counts (the root discovered)`, firstStats);
  report.series(`    KeyTreeFeed: every key listed (the filter's index)`, fullStats, 'pages of 1k doubling to 16k, one revision');

  loaded = undefined;

  // 2e. Memory per key held: a fresh tree, loaded and live (watching), against the heap before it.
  const gc = garbageCollector();
  const before = await settledHeap(gc);
  const external0 = process.memoryUsage().arrayBuffers;
  const held = await loadTree();
  const after = await settledHeap(gc);
  const externalDelta = process.memoryUsage().arrayBuffers - external0;
  const bytesPerKey = (after - before) / held.feed.flat.size;
  held.feed.stop();
  report.single(
    '(e) heap per key held (after gc, tree loaded and watching)',
    `${bytesPerKey.toFixed(0)} B`,
    `${((after - before) / 1024 / 1024).toFixed(1)} MiB for ${held.feed.flat.size} keys (the filter's index); ArrayBuffers ${externalDelta >= 0 ? '+' : ''}${(externalDelta / 1024).toFixed(0)} KiB`,
  );

  // 2d. The built CLI in a pty: the first level on screen, the whole load; node's own start as the floor.
  const frameMs: number[] = [];
  const rootMs: number[] = [];
  const openToRootMs: number[] = [];
  const ptyFullMs: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const run = await ptyStart();
    if (i === 0) continue; // the first warms the page cache for node and the built files
    frameMs.push(run.frameMs);
    rootMs.push(run.rootMs);
    // The view opened in a running CLI (:keys typed): not timed from the first frame, which waits for the first rows.
    openToRootMs.push((await keysViewOpen((t) => ROOT_ROW.test(t), 'the / row')).openMs);
    ptyFullMs.push(run.fullMs);
  }
  report.series('(d) CLI spawn to first frame (tree title), pty', summarize(frameMs), 'node start + module loading included');
  report.series('    node -e 0 (the floor under any CLI start)', summarize(await sample(RUNS, () => runCli(process.execPath, ['-e', '0']))));
  const rootStats = summarize(rootMs);
  report.series('    CLI spawn to the / row on screen (first level), pty', rootStats);
  const openStats = summarize(openToRootMs);
  report.series('    :keys typed to the / row (the tree opening: connect, first page, render)', openStats);
  report.series(`    CLI spawn to the whole keyspace on screen (title [N ≥ ${COUNT}], not loading)`, summarize(ptyFullMs));

  // 2d, 2f. In one session: open the big folder; writes in it on screen.
  const pty = await ptyNavigateAndWrite();
  report.series(`    enter on ${BIG_FOLDER} to its first rows on screen, pty`, summarize(pty.expand));
  report.single(
    `    CLI resident memory, ${seededKeys} seeded keys -> + ${COUNT} bench keys`,
    `${(rssBeforeKb / 1024).toFixed(0)} -> ${(pty.rssKb / 1024).toFixed(0)} MiB`,
    `VmRSS, no budget (garbage included): ${(((pty.rssKb - rssBeforeKb) * 1024) / COUNT).toFixed(0)} B/key`,
  );
  const writeStats = summarize(pty.fromAck);
  report.series(`(f) write ack to the key on screen (${WRITES} puts into the open big folder), pty`, writeStats);
  report.series('    put sent to the key on screen', summarize(pty.fromSend));

  // 3. Budgets.
  const ratio = fullStats.p50 / ctl.p50;
  report.budget({
    name: 'every key listed (filter index) / etcdctl get --prefix --keys-only (p50 over p50)',
    measured: formatMs(fullStats.p50),
    reference: `etcdctl get --prefix ${ROOT} --keys-only: ${formatMs(ctl.p50)}`,
    ratio,
    limit: `${BUDGET_LOAD_RATIO.toFixed(1)}x`,
    goal: `≤ ${GOAL_LOAD_RATIO}x`,
    ok: ratio <= BUDGET_LOAD_RATIO,
    goalMet: ratio <= GOAL_LOAD_RATIO,
  });
  for (const [name, stats] of [
    ['first level p50, KeyTreeFeed in process', firstStats],
    ['first level p50, CLI :keys typed to the / row in a pty', openStats],
  ] as const) {
    report.budget({
      name,
      measured: formatMs(stats.p50),
      limit: `${BUDGET_FIRST_LEVEL_MS} ms`,
      goal: `≤ ${GOAL_FIRST_LEVEL_MS} ms`,
      ok: stats.p50 <= BUDGET_FIRST_LEVEL_MS,
      goalMet: stats.p50 <= GOAL_FIRST_LEVEL_MS,
    });
  }
  // Reported against the goal, not enforced: most of it is node starting and loading its modules.
  report.budget({
    name: 'first level p50, CLI spawn to / row in a pty',
    measured: formatMs(rootStats.p50),
    limit: 'none',
    goal: `≤ ${GOAL_FIRST_LEVEL_MS} ms`,
    ok: true,
    goalMet: rootStats.p50 <= GOAL_FIRST_LEVEL_MS,
  });
  report.budget({
    name: 'heap per key held',
    measured: `${bytesPerKey.toFixed(0)} B`,
    limit: `${BUDGET_BYTES_PER_KEY} B`,
    goal: `≤ ${GOAL_BYTES_PER_KEY} B`,
    ok: bytesPerKey <= BUDGET_BYTES_PER_KEY,
    goalMet: bytesPerKey <= GOAL_BYTES_PER_KEY,
  });
  report.budget({
    name: 'write on screen p99 (ack to screen), CLI in a pty',
    measured: formatMs(writeStats.p99),
    limit: `${BUDGET_WRITE_P99_MS} ms`,
    goal: `≤ ${GOAL_WRITE_P99_MS} ms`,
    ok: writeStats.p99 <= BUDGET_WRITE_P99_MS,
    goalMet: writeStats.p99 <= GOAL_WRITE_P99_MS,
  });
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  // 4. Leave etcd as it was: nothing under /bench/.
  try {
    let deleted = 0;
    const deleteMs = await timeMs(async () => {
      deleted = await deleteBench();
    });
    const left = etcdctl('get', '--prefix', `${ROOT}/`, '--keys-only').split('\n').filter(Boolean).length;
    if (left > 0) throw new Error(`${left} keys are still under ${ROOT}/`);
    report.single(`delete ${ROOT}/ (one DeleteRange)`, formatMs(deleteMs), `${deleted} keys`);
    await compactNow(writer); // later benches measure the seeded keyspace (keys-data.ts)
  } catch (e) {
    console.error(`bench: cleanup of ${ROOT}/ failed: ${(e as Error).message}`);
    failure ??= e;
  }
  client.close();
  writer.close();
}
report.finish('etcd', benchStart, failure);
