/**
 * The lazy key tree at 10,000 / 100,000 / 1,000,000 keys under /scale/ (a quarter of them in one
 * folder of direct leaves, the rest Kubernetes-shaped), against etcdctl on the same data: the first
 * level with its counts (in process, and on the built CLI's screen), opening the big folder (every
 * child loaded) vs `etcdctl get --prefix <folder> --keys-only`, every key listed (the filter's
 * index) vs `etcdctl get --prefix /scale/ --keys-only`, heap per key held and the CLI's RSS. Prints
 * the curve. Run by scripts/bench.sh against its own sandbox.
 */
import {performance} from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import {EtcdClient} from '../source/data/etcd/client.js';
import {KeyTreeFeed} from '../source/views/keys/feed.js';
import {PtySession} from '../test/helpers/pty.js';
import {openTreeFolders} from '../test/helpers/etcd.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, formatMs, sample, sleep, summarize, timeMs, type Stats} from './helpers.js';
import {compactNow, countUnder, deletePrefixes, etcdctlCountWalk, etcdctlKeys, putAll} from './keys-data.js';
import {keysViewOpen, TYPED_AFTER_MS} from './keys-open.js';
import {ScreenClock, residentKb} from './pty-clock.js';

const ROOT = '/scale/';
// UNDOCK_BENCH_KEY_SIZES=10000,100000 for a quicker run while working on the tree.
const SIZES = process.env.UNDOCK_BENCH_KEY_SIZES ? process.env.UNDOCK_BENCH_KEY_SIZES.split(',').map(Number) : [10_000, 100_000, 1_000_000];
const BIG = `${ROOT}kube/events/default/`;
const RESOURCES = ['configmaps', 'deployments', 'endpointslices', 'leases', 'pods', 'replicasets', 'secrets', 'serviceaccounts', 'services', 'jobs', 'cronjobs', 'daemonsets', 'statefulsets', 'ingresses', 'roles'];
const NAMESPACES = 50;
const FIRST_LEVEL_BUDGET_MS = 300;
const OPEN_RATIO_BUDGET = 1.5;
const BYTES_PER_KEY_BUDGET = 150;

process.env.ETCDCTL_API = '3';
// A million keys print in ~6 s: past etcdctl's default 5 s command timeout on a loaded machine.
process.env.ETCDCTL_COMMAND_TIMEOUT = '120s';
const env = sandboxEnv();
const endpoints = env.etcdEndpoints.split(',');
const client = new EtcdClient(endpoints);
const writer = new EtcdClient(endpoints);
const report = new BenchReport(`etcd key tree at scale: ${SIZES.map((n) => n.toLocaleString('en')).join(' / ')} keys under ${ROOT} (etcd ${env.etcdEndpoints})`);
const benchStart = performance.now();
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The keys of size n: n/4 leaves in BIG, the rest /scale/registry/<resource>/ns-NN/<name>; each size holds the smaller ones. */
function keysOf(n: number, from = 0): string[] {
  const keys: string[] = [];
  const big = n / 4;
  const names = (n - big) / (RESOURCES.length * NAMESPACES);
  const bigFrom = from / 4;
  const namesFrom = (from - bigFrom) / (RESOURCES.length * NAMESPACES);
  for (let i = bigFrom; i < big; i++) keys.push(`${BIG}ev-${pad(i, 6)}`);
  for (const r of RESOURCES) for (let ns = 0; ns < NAMESPACES; ns++) for (let m = namesFrom; m < names; m++) keys.push(`${ROOT}kube/${r}/ns-${pad(ns, 2)}/${r.slice(0, -1)}-${pad(m, 4)}`);
  return keys;
}

function gcOf(): () => void {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const gc = gcOf();
async function settledHeap(): Promise<number> {
  gc();
  await sleep(50);
  gc();
  return process.memoryUsage().heapUsed;
}

/** Resolves when the feed's state passes the test (or rejects on an error / after 120 s). */
function until(feed: KeyTreeFeed, test: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${what}: not within 120 s`)), 120_000);
    const check = () => {
      const e = feed.store.getState().error;
      if (e) finish(new Error(`${what}: ${e}`));
      else if (test()) finish();
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      unsubscribe();
      if (err) reject(err);
      else resolve();
    };
    const unsubscribe = feed.store.subscribe(check);
    check();
  });
}

/** A feed of the whole keyspace; ms to the first level with counts (the root discovered). */
async function firstLevel(): Promise<{feed: KeyTreeFeed; ms: number}> {
  const feed = new KeyTreeFeed(client, '');
  const t0 = performance.now();
  feed.start();
  await until(feed, () => !feed.store.getState().loading, 'the first level');
  return {feed, ms: performance.now() - t0};
}

/** Opens the folders down to BIG in a fresh feed; ms for BIG itself (every child loaded). */
async function openBig(): Promise<{feed: KeyTreeFeed; ms: number}> {
  const {feed} = await firstLevel();
  const path = ['/', ROOT, `${ROOT}kube/`, `${ROOT}kube/events/`];
  for (const p of path) {
    feed.want([p]);
    await until(feed, () => feed.tree.stateOf(p) === 'loaded', `opening ${p}`);
  }
  const t0 = performance.now();
  feed.want([BIG]);
  await until(feed, () => feed.tree.stateOf(BIG) === 'loaded', `opening ${BIG}`);
  const ms = performance.now() - t0;
  if (feed.tree.count(BIG) === undefined) throw new Error(`${BIG} is not in the tree`);
  return {feed, ms};
}

/** The built CLI: `:keys` typed to the root level with counts on screen (the `/` row naming ≥ n keys). */
async function ptyFirstLevel(n: number, typedAfterMs = TYPED_AFTER_MS): Promise<{levelMs: number}> {
  const {openMs} = await keysViewOpen((t) => {
    const m = /^ [▸▾] \/ +(\d+) keys/m.exec(t);
    return !!m && Number(m[1]) >= n && !/etcd keys[^\n]* loading/.test(t);
  }, `the / row with ${n}+ keys`, 30_000, typedAfterMs);
  return {levelMs: openMs};
}

/** The CLI's RSS with BIG open (every child loaded and drawn). */
async function ptyBigOpen(): Promise<number> {
  const s = new PtySession({args: ['--view', 'keys'], cols: 140, rows: 40});
  try {
    const clock = new ScreenClock(s);
    const loaded = (t: string) => !/etcd keys[^\n]* loading/.test(t);
    await clock.when((t) => /^ [▸▾] \/ /m.test(t) && loaded(t), 'the first level', 30_000);
    await openTreeFolders(s, '/', 'scale/', 'kube/', 'events/', 'default/');
    await clock.when((t) => t.includes('ev-000000'), 'the first leaf', 10_000);
    await sleep(1_000);
    return residentKb(s.proc.pid);
  } finally {
    s.kill();
  }
}

interface Point {
  n: number;
  first: Stats;
  /** etcdctl's own count of the whole keyspace: the walk etcd 3.4 makes for the root level's first range. */
  ctlCount: Stats;
  pty: Stats;
  /** The same, typed in the instant the CLI's first view showed (the largest size only). */
  ptyAtOnce?: Stats;
  open: Stats;
  ctlBig: Stats;
  index?: number;
  ctlAll?: number;
  heapPerKey: number;
  held: number;
}

async function measure(n: number): Promise<Point> {
  const runs = n >= 1_000_000 ? 3 : 5;
  const bigKeys = n / 4;
  if (etcdctlKeys(BIG) !== bigKeys) throw new Error(`etcdctl lists ${etcdctlKeys(BIG)} keys under ${BIG}, expected ${bigKeys}`);
  const firsts: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const r = await firstLevel();
    r.feed.stop();
    if (i > 0) firsts.push(r.ms);
  }
  const ptys: number[] = [];
  // Five measured (after one that warms the page cache): a p50 of two was the mean of a noisy pair.
  for (let i = 0; i <= 5; i++) {
    const r = await ptyFirstLevel(n);
    if (i > 0) ptys.push(r.levelMs);
  }
  const ctlCount = summarize(await sample(runs, etcdctlCountWalk));
  const ctlBig = summarize(await sample(runs, () => etcdctlKeys(BIG)));
  const opens: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await openBig();
    r.feed.stop();
    opens.push(r.ms);
  }
  // Heap per key held: BIG open in a live feed (watching), against the heap before it.
  const before = await settledHeap();
  const held = await openBig();
  const after = await settledHeap();
  const heapPerKey = (after - before) / bigKeys;
  held.feed.stop();
  const point: Point = {n, first: summarize(firsts), ctlCount, pty: summarize(ptys), open: summarize(opens), ctlBig, heapPerKey, held: bigKeys};
  if (n === SIZES[SIZES.length - 1]) {
    const atOnce: number[] = [];
    for (let i = 0; i < runs; i++) atOnce.push((await ptyFirstLevel(n, 0)).levelMs);
    point.ptyAtOnce = summarize(atOnce);
    point.ctlAll = await timeMs(() => etcdctlKeys(ROOT));
    const {feed} = await firstLevel();
    const t0 = performance.now();
    feed.wantIndex();
    await until(feed, () => !!feed.store.getState().index?.done, 'every key listed');
    point.index = performance.now() - t0;
    if (feed.flat.size < n) throw new Error(`the index holds ${feed.flat.size} keys`);
    feed.stop();
  }
  return point;
}

async function main(): Promise<void> {
  await deletePrefixes(writer, RESOURCES.map((r) => `${ROOT}kube/${r}/`).concat([BIG, ROOT]));
  const points: Point[] = [];
  let have = 0;
  for (const n of SIZES) {
    const fresh = keysOf(n, have);
    const writeMs = await timeMs(() => putAll(writer, fresh));
    have = n;
    const stored = await countUnder(client, ROOT);
    if (stored !== n) throw new Error(`etcd holds ${stored} keys under ${ROOT}, expected ${n}`);
    report.single(`write ${fresh.length} keys (to ${n}: txns of 128 puts, 16 in flight)`, formatMs(writeMs), `${Math.round(fresh.length / (writeMs / 1000))}/s`);
    const p = await measure(n);
    points.push(p);
    const k = `${n / 1000}k`;
    report.series(`${k}: first level with counts, in process (root discovered)`, p.first);
    report.series(`${k}: :keys typed to the first level with counts, CLI in a pty (typed ${TYPED_AFTER_MS / 1000} s after the first view)`, p.pty);
    if (p.ptyAtOnce) report.series(`${k}: the same, :keys typed in the instant the first view showed (beside the start's deferred work)`, p.ptyAtOnce);
    report.series(`${k}: etcdctl get "" --from-key --limit 1 --keys-only (etcd 3.4 counts the whole range)`, p.ctlCount);
    report.series(`${k}: open ${BIG} (${(n / 4).toLocaleString('en')} children loaded)`, p.open);
    report.series(`${k}: etcdctl get --prefix ${BIG} --keys-only`, p.ctlBig);
    report.single(`${k}: heap per key held (the big folder open, watching)`, `${p.heapPerKey.toFixed(0)} B`, `${p.held} keys`);
  }
  const last = points[points.length - 1]!;
  const k = `${last.n / 1000}k`;
  try {
    const rssKb = await ptyBigOpen();
    report.single(`${k}: CLI RSS with ${BIG} open`, `${(rssKb / 1024).toFixed(0)} MiB`, `VmRSS, ${((rssKb * 1024) / last.held).toFixed(0)} B per key held (garbage and the runtime included)`);
  } catch (e) {
    // A figure without a budget: its navigation failing (a loaded machine) does not lose the rest.
    report.single(`${k}: CLI RSS with ${BIG} open`, 'not measured', (e as Error).message.split('\n')[0]!);
  }
  report.single(`${k}: every key listed (the filter's index), in process`, formatMs(last.index!), `etcdctl get --prefix ${ROOT} --keys-only: ${formatMs(last.ctlAll!)} (${(last.index! / last.ctlAll!).toFixed(2)}x)`);

  // The curve: each figure against the keyspace size; growth per 10x keys (linear is 10x).
  const lines = ['', 'keys       first level  (CLI)      open big folder  etcdctl big  ratio  heap/key', ...points.map((p) =>
    [p.n.toLocaleString('en').padEnd(10), formatMs(p.first.p50).padStart(11), formatMs(p.pty.p50).padStart(10), formatMs(p.open.p50).padStart(16), formatMs(p.ctlBig.p50).padStart(12), `${(p.open.p50 / p.ctlBig.p50).toFixed(2)}x`.padStart(6), `${p.heapPerKey.toFixed(0)} B`.padStart(9)].join(' '),
  )];
  process.stdout.write(lines.join('\n') + '\n');
  for (let i = 1; i < points.length; i++) {
    const [a, b] = [points[i - 1]!, points[i]!];
    const keys = b.n / a.n;
    const growth = b.open.p50 / a.open.p50;
    report.budget({
      name: `open big folder growth ${a.n / 1000}k -> ${b.n / 1000}k (linear or better)`,
      measured: `${growth.toFixed(1)}x`,
      reference: `${keys}x the keys`,
      ratio: growth / keys,
      limit: `${(keys * 1.5).toFixed(0)}x`,
      ok: growth <= keys * 1.5,
    });
  }
  report.budget({
    name: `first level with counts at ${last.n.toLocaleString('en')} keys, CLI :keys typed to the / row (p50)`,
    measured: formatMs(last.pty.p50),
    reference: `absolute (in process: ${formatMs(last.first.p50)}; etcd's count of the keyspace, etcdctl --limit 1: ${formatMs(last.ctlCount.p50)}; typed at once: ${last.ptyAtOnce ? formatMs(last.ptyAtOnce.p50) : '-'})`,
    limit: `${FIRST_LEVEL_BUDGET_MS} ms`,
    ok: last.pty.p50 <= FIRST_LEVEL_BUDGET_MS,
  });
  const ratio = last.open.p50 / last.ctlBig.p50;
  report.budget({
    name: `open a ${(last.n / 4).toLocaleString('en')}-key folder / etcdctl on it (p50 over p50)`,
    measured: formatMs(last.open.p50),
    reference: `etcdctl get --prefix --keys-only: ${formatMs(last.ctlBig.p50)}`,
    ratio,
    limit: `${OPEN_RATIO_BUDGET}x`,
    ok: ratio <= OPEN_RATIO_BUDGET,
  });
  report.budget({
    name: 'heap per key held (the 250,000-key folder open)',
    measured: `${last.heapPerKey.toFixed(0)} B`,
    reference: 'absolute',
    limit: `${BYTES_PER_KEY_BUDGET} B`,
    ok: last.heapPerKey <= BYTES_PER_KEY_BUDGET,
  });
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  try {
    const deleteMs = await timeMs(() => deletePrefixes(writer, RESOURCES.map((r) => `${ROOT}kube/${r}/`).concat([BIG, ROOT])));
    const left = await countUnder(client, ROOT);
    if (left > 0) throw new Error(`${left} keys are still under ${ROOT}`);
    report.single(`delete ${ROOT} (a DeleteRange per resource folder)`, formatMs(deleteMs));
    // The benches after this one (start's key tree) measure the seeded keyspace, not a million tombstones.
    report.single('compact etcd (physical) after the delete', formatMs(await timeMs(() => compactNow(writer))));
  } catch (e) {
    console.error(`bench: cleanup of ${ROOT} failed: ${(e as Error).message}`);
    failure ??= e;
  }
  client.close();
  writer.close();
}
report.finish('keys-scale', benchStart, failure);
