/**
 * The key tree under a watch storm, through the built CLI in a pty: keypress to frame with 10,000
 * rows on screen (a folder of 10,000 keys open), idle and while another process writes 20,000 new
 * keys, one revision each, as fast as etcd takes them, into a folder the tree shows open; each
 * write's ack to the screen (the title's key count), and every event applied (the final tree equals
 * etcd's range). Run by scripts/bench.sh against its own sandbox.
 */
// Before Ink (and chalk) load in the CLI: the selected row is found by its inverse colour.
process.env.FORCE_COLOR ??= '1';

import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {EtcdClient} from '../source/data/etcd/client.js';
import {prefixRange} from '../source/data/etcd/keys.js';
import {KeyTreeFeed} from '../source/views/keys/feed.js';
import {PtySession} from '../test/helpers/pty.js';
import {openTreeFolders} from '../test/helpers/etcd.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, formatMs, sleep, summarize} from './helpers.js';
import {compactNow, countUnder, deletePrefixes, putAll} from './keys-data.js';
import {ScreenClock, flushed, selectedRow} from './pty-clock.js';

const ROOT = '/storm-bench/';
const ROWS = `${ROOT}kp/`;
const STORM = `${ROOT}storm/`;
const ROW_KEYS = 10_000;
const STORM_KEYS = 20_000;
const IN_FLIGHT = 32;
const PRESSES = 100;
const PRESS_GAP_MS = 40;
const FRAME_MS = 33;
const STORM_KEY_P99_MS = 50;
const WRITE_P99_MS = 100;

const env = sandboxEnv();
const endpoints = env.etcdEndpoints.split(',');
const client = new EtcdClient(endpoints);
const writer = new EtcdClient(endpoints);
const report = new BenchReport(`etcd key tree: a watch storm of ${STORM_KEYS.toLocaleString('en')} puts beside ${ROW_KEYS.toLocaleString('en')} rows (etcd ${env.etcdEndpoints})`);
const benchStart = performance.now();
const epochNow = () => performance.timeOrigin + performance.now();
const rowName = (i: number) => `kp-${String(i).padStart(5, '0')}`;
const titleCount = (text: string) => Number(/ etcd keys [^\n]*\[(\d+)\]/.exec(text)?.[1] ?? NaN);

/** One j press: ms from the write to the output that shows `want` selected. */
async function press(s: PtySession, clock: ScreenClock, want: string): Promise<number> {
  const t0 = performance.now();
  const shown = clock.when(() => !!selectedRow(s)?.includes(` ${want}`), `${want} selected`, 10_000);
  s.proc.write('j');
  return (await shown) - t0;
}

async function main(): Promise<void> {
  await deletePrefixes(writer, [ROOT]);
  await putAll(writer, Array.from({length: ROW_KEYS}, (_, i) => `${ROWS}${rowName(i)}`));
  await putAll(writer, [`${STORM}a-first`]);

  // An in-process tree of the storm folder, to compare key by key with etcd at the end.
  const feed = new KeyTreeFeed(client, STORM);
  feed.start();

  const s = new PtySession({args: ['--view', 'keys'], cols: 140, rows: 40});
  try {
    const clock = new ScreenClock(s);
    await clock.when((t) => /^ [▸▾] \/ /m.test(t) && !/etcd keys[^\n]* loading/.test(t), 'the first level', 30_000);
    await openTreeFolders(s, '/', 'storm-bench/', 'storm/', 'kp/');
    await clock.when((t) => t.includes(rowName(20)), `${ROW_KEYS} rows on screen`);

    // Idle: the selection walks down the 10,000 rows.
    let next = 0;
    const idle: number[] = [];
    for (let i = 0; i < PRESSES; i++) {
      await sleep(PRESS_GAP_MS);
      idle.push(await press(s, clock, rowName(next++)));
    }

    // The storm: the screen's key count over time, and presses until the writer is done.
    const base = titleCount(s.text());
    const counts: Array<[atMs: number, count: number]> = [];
    const listener = s.proc.onData(() => {
      const at = epochNow();
      void flushed(s).then(() => {
        const n = titleCount(s.text());
        if (n > (counts[counts.length - 1]?.[1] ?? base)) counts.push([at, n]);
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/keys-storm-writer.ts', env.etcdEndpoints, STORM, String(STORM_KEYS), String(IN_FLIGHT)], {stdio: ['ignore', 'pipe', 'inherit']});
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1)));
    let writing = true;
    void exited.then(() => (writing = false));
    const stormy: number[] = [];
    // Presses start once the writes do (the writer process starts up first).
    await clock.when((t) => titleCount(t) > base, 'the first storm write on screen', 30_000);
    while (writing) {
      await sleep(PRESS_GAP_MS);
      stormy.push(await press(s, clock, rowName(next++)));
    }
    if ((await exited) !== 0) throw new Error('the storm writer failed');
    const {ms: writeMs, acks, retries} = JSON.parse(out) as {ms: number; acks: Array<[number, number]>; retries: number};
    const total = await countUnder(client, '');
    await clock.when((t) => titleCount(t) === total, `the title count ${total} (etcd's)`, 60_000);
    listener.dispose();

    // Write to screen: the write of the j-th revision of the storm is on screen once the count is base + j.
    acks.sort((a, b) => a[0] - b[0]);
    const latency: number[] = [];
    let c = 0;
    acks.forEach(([, ackAt], j) => {
      while (c < counts.length && counts[c]![1] < base + j + 1) c++;
      if (c < counts.length) latency.push(Math.max(0, counts[c]![0] - ackAt));
    });
    if (latency.length !== STORM_KEYS) throw new Error(`${latency.length} of ${STORM_KEYS} writes were seen on screen`);

    // Every event applied: the in-process tree lists exactly etcd's keys, and the screen shows etcd's count.
    await new Promise<void>((resolve) => {
      const check = () => feed.total === STORM_KEYS + 1 && resolve();
      feed.store.subscribe(check);
      check();
    });
    const held = feed.tree.rows(new Set());
    const mine = held.slice(0, held.length).map((r) => r.path);
    const etcdKeys = (await client.reads.range({...prefixRange(STORM), keys_only: true})).kvs.map((kv) => kv.key.toString('latin1'));
    const equal = mine.length === etcdKeys.length && mine.every((k, i) => k === etcdKeys[i]);

    const idleStats = summarize(idle);
    const stormStats = summarize(stormy);
    const writeStats = summarize(latency);
    report.single(`storm: ${STORM_KEYS} puts, ${IN_FLIGHT} in flight, from another process`, formatMs(writeMs), `${Math.round(STORM_KEYS / (writeMs / 1000))} puts/s, ${retries} put(s) retried`);
    report.series(`keypress to frame, idle, ${ROW_KEYS} rows open (j, ${PRESS_GAP_MS} ms apart), pty`, idleStats);
    report.series('keypress to frame during the storm, pty', stormStats);
    report.series('put ack to the key counted on screen (the title), pty', writeStats, `${counts.length} screen updates`);
    report.single('final tree equals etcd (in-process tree vs a range; title vs etcd count)', equal ? 'equal' : 'DIFFERS', `${mine.length} keys vs etcd ${etcdKeys.length}; title ${total}`);
    report.budget({name: `keypress to frame p99, idle, ${ROW_KEYS} rows`, measured: formatMs(idleStats.p99), reference: `one frame at 30 fps: ${FRAME_MS} ms`, ratio: idleStats.p99 / FRAME_MS, limit: `${FRAME_MS} ms`, ok: idleStats.p99 <= FRAME_MS});
    report.budget({name: 'keypress to frame p99 during the storm', measured: formatMs(stormStats.p99), reference: `one frame at 30 fps: ${FRAME_MS} ms`, ratio: stormStats.p99 / FRAME_MS, limit: `${STORM_KEY_P99_MS} ms`, ok: stormStats.p99 <= STORM_KEY_P99_MS});
    report.budget({name: 'storm write to screen p99', measured: formatMs(writeStats.p99), reference: 'absolute', limit: `${WRITE_P99_MS} ms`, ok: writeStats.p99 <= WRITE_P99_MS});
    report.budget({name: 'every storm event applied (tree equals etcd)', measured: equal ? 'equal' : 'differs', reference: 'etcd range of the folder', limit: 'any difference', ok: equal});
  } finally {
    s.kill();
    feed.stop();
  }
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  try {
    await deletePrefixes(writer, [ROOT]);
    const left = await countUnder(client, ROOT);
    if (left > 0) throw new Error(`${left} keys are still under ${ROOT}`);
    await compactNow(writer); // later benches measure the seeded keyspace (keys-data.ts)
  } catch (e) {
    console.error(`bench: cleanup of ${ROOT} failed: ${(e as Error).message}`);
    failure ??= e;
  }
  client.close();
  writer.close();
}
report.finish('keys-storm', benchStart, failure);
