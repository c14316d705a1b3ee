/**
 * The containers pane as the list grows: at 200, 2,000, 5,000 and 10,000 containers, undock's
 * relist against `ctr containers ls` on the same data, and the built CLI's start to the rows on
 * screen; where a relist's time goes and what the row pipeline costs at 2,000; keypress to frame
 * at 2,000 and 10,000 rows. Run by scripts/bench.sh against its own sandbox.
 */
// Before Ink (and chalk) load: the selected row is only visible in a frame as its inverse colour.
process.env.FORCE_COLOR ??= '1';

import {performance} from 'node:perf_hooks';
import {buildConfig} from '../source/config.js';
import {createDataContext} from '../source/context.js';
import {containersProto, containersService, listContainers} from '../source/data/containerd/containers.js';
import {taskMetrics} from '../source/data/containerd/metrics.js';
import {listTasks} from '../source/data/containerd/tasks.js';
import {containers} from '../source/resources/containers/index.js';
import {loadContainers, type ContainerRow} from '../source/resources/containers/source.js';
import {columnWidths, viewRows, visibleColumns} from '../source/resources/rows.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {Fleet} from './fleet.js';
import {BenchReport, formatMs, sample, summarize, timeMs, type Stats} from './helpers.js';
import {growth, linearOrBetter} from './curve.js';
import {inkKeypresses, PRESS_GAP_MS, ptyKeypresses} from './keypress.js';

const NAMESPACE = 'bench';
const POINTS = (process.env.UNDOCK_BENCH_CONTAINERS ?? '200,2000,5000,10000').split(',').map(Number);
const DETAIL_AT = 2_000;
const KEY_AT = [2_000, 10_000];
/** How long after the rows the second, unbudgeted series of presses at 10,000 rows starts. */
const LATER_MS = 4_000;
const RUNS = 10;
const START_RUNS = 3;
const INK_PRESSES = 200;
const PTY_PRESSES = 100;

const BUDGET_RELIST_RATIO = 3;
/** One frame at Ink's 30 fps. */
const BUDGET_KEY_P99_MS = 33;
/** Growth "linear or better": the cost per container added from 2,000 to 10,000 at most this many times that from 200 to 2,000. */
const BUDGET_GROWTH = 1.5;

const env = sandboxEnv();
const config = buildConfig({view: 'containers', namespace: NAMESPACE}, process.env);
const ctx = createDataContext(config);
const fleet = new Fleet(ctx, NAMESPACE, env.address);
const report = new BenchReport(`containers pane at ${POINTS.map((n) => n.toLocaleString('en')).join(' / ')} containers in namespace "${NAMESPACE}" (containerd ${env.address})`);
const benchStart = performance.now();
const scope = {namespace: NAMESPACE, allNamespaces: false, params: {}};

/** The built CLI's start to `Containers(bench)[n]` on screen. */
async function startToData(n: number): Promise<number> {
  const t0 = performance.now();
  const s = new PtySession({args: ['--view', 'containers', '-n', NAMESPACE], cols: 120, rows: 30});
  try {
    await s.waitFor(`Containers(${NAMESPACE})[${n}]`, 60_000);
    return performance.now() - t0;
  } finally {
    s.kill();
  }
}

interface Point {
  n: number;
  ctr: Stats;
  relist: Stats;
  start: Stats;
}

async function detailAt(rows: ContainerRow[]): Promise<void> {
  report.series('    ListStream, messages as proto-loader decodes them', summarize(await sample(RUNS, () => ctx.containerd.conn.serverStream(containersProto, containersService, 'ListStream', {filters: []}, {namespace: NAMESPACE, deadlineMs: 60_000}))));
  report.series('    listContainers (+ toContainerRecord: spec JSON, Any fields)', summarize(await sample(RUNS, () => listContainers(ctx.containerd, NAMESPACE, [], {withSpec: false}))));
  report.series('    tasks List', summarize(await sample(RUNS, () => listTasks(ctx.containerd, NAMESPACE))));
  report.series('    tasks Metrics, 28 rows on screen (sampled apart from the relist)', summarize(await sample(RUNS, () => taskMetrics(ctx.containerd, NAMESPACE, rows.slice(0, 28).map((r) => r.id)))));
  const columns = visibleColumns(containers, false);
  const sort = {column: 'name', descending: false};
  for (const filter of ['', '19']) {
    const stats = summarize(await sample(RUNS, () => columnWidths(columns, viewRows(containers, rows, {filter, sort, now: Date.now(), columns}), 119)));
    report.series(`(c) viewRows + columnWidths (filter "${filter}", by name)`, stats);
  }
}

async function keypresses(n: number): Promise<void> {
  const ink = await inkKeypresses(config, NAMESPACE, n, INK_PRESSES);
  const inkStats = summarize(ink.samples);
  report.single(`    <App> start to ${n.toLocaleString('en')} rows in a frame (ink-testing-library)`, formatMs(ink.loadMs));
  report.series(`(d) keypress to frame at ${n.toLocaleString('en')} rows, <App> in ink-testing-library (j, ${PRESS_GAP_MS} ms apart)`, inkStats);
  const pty = await ptyKeypresses(NAMESPACE, n, PTY_PRESSES);
  const ptyStats = summarize(pty.samples);
  report.series(`(e) keypress to frame at ${n.toLocaleString('en')} rows, built CLI in a pty (j, ${PRESS_GAP_MS} ms apart)`, ptyStats);
  const bytes = summarize(pty.bytes);
  report.single(`    bytes the CLI wrote per keypress at ${n.toLocaleString('en')} rows (p50)`, `${bytes.p50} B`, `max ${bytes.max} B`);
  if (n !== 10_000) return;
  // Beside the budget, not in it: the same presses from a few seconds after the rows, past the one-off
  // work that follows a first load (the event feed's relist, the first probe; DESIGN.md, Measured).
  const later = await ptyKeypresses(NAMESPACE, n, PTY_PRESSES, {afterMs: LATER_MS});
  report.series(`(e) keypress to frame at ${n.toLocaleString('en')} rows, built CLI in a pty, from ${LATER_MS / 1000} s after the rows (not budgeted)`, summarize(later.samples));
  for (const [name, stats] of [
    ['keypress to frame p99 at 10,000 rows, <App> in process', inkStats],
    ['keypress to frame p99 at 10,000 rows, CLI in a pty', ptyStats],
  ] as const) {
    report.budget({
      name,
      measured: formatMs(stats.p99),
      limit: `${BUDGET_KEY_P99_MS} ms`,
      reference: 'one frame at 30 fps: 33 ms',
      ratio: stats.p99 / 33.3,
      ok: stats.p99 <= BUDGET_KEY_P99_MS,
    });
  }
}

async function main(): Promise<void> {
  await fleet.removeAll().catch(() => 0);
  const points: Point[] = [];
  let have = 0;
  for (const n of POINTS) {
    const createMs = await timeMs(() => fleet.create(have, n));
    report.single(`create containers ${have} to ${n} (Containers.Create, 32 in flight)`, formatMs(createMs), `${((n - have) / (createMs / 1000)).toFixed(0)}/s`);
    have = n;
    const stored = fleet.ids().length;
    if (stored !== n) throw new Error(`ctr lists ${stored} containers in ${NAMESPACE}, expected ${n}`);
    const ctrLs = summarize(
      await sample(RUNS, () => {
        const lines = fleet.ctr('containers', 'ls').trimEnd().split('\n').length;
        if (lines !== n + 1) throw new Error(`ctr containers ls printed ${lines} lines`);
      }),
    );
    let rows: ContainerRow[] = [];
    const relist = summarize(
      await sample(RUNS, async () => {
        rows = await loadContainers(ctx, scope);
        if (rows.length !== n) throw new Error(`loadContainers returned ${rows.length} rows`);
      }),
    );
    const start = summarize(await sample(START_RUNS, () => startToData(n), 0));
    const at = n.toLocaleString('en');
    report.series(`(a) ${at}: ctr -n bench containers ls (wall, process start included)`, ctrLs);
    report.series(`(b) ${at}: undock relist, loadContainers (ListStream + tasks List)`, relist);
    report.series(`(f) ${at}: CLI start to the rows on screen (pty)`, start, `ctr c ls ${formatMs(ctrLs.p50)}`);
    points.push({n, ctr: ctrLs, relist, start});
    report.budget({
      name: `undock relist / ctr containers ls at ${at} (p50 over p50)`,
      measured: formatMs(relist.p50),
      reference: `ctr c ls: ${formatMs(ctrLs.p50)}`,
      ratio: relist.p50 / ctrLs.p50,
      limit: `${BUDGET_RELIST_RATIO.toFixed(1)}x`,
      ok: relist.p50 / ctrLs.p50 <= BUDGET_RELIST_RATIO,
    });
    if (n === DETAIL_AT) await detailAt(rows);
    if (KEY_AT.includes(n)) await keypresses(n);
  }
  // A curve needs three points (UNDOCK_BENCH_CONTAINERS may ask for fewer).
  if (points.length < 3) return;
  const span = (i: number, j: number) => `${points[i]!.n.toLocaleString('en')}->${points[j]!.n.toLocaleString('en')}`;
  for (const [what, pick] of [
    ['relist', (p: Point) => p.relist.p50],
    ['CLI start to rows', (p: Point) => p.start.p50],
  ] as const) {
    const g = growth(points, pick);
    const ref = growth(points, (p) => p.ctr.p50);
    report.single(`curve: ${what}, per container ${span(0, 1)} / ${span(1, points.length - 1)}`, `${(g.low * 1000).toFixed(1)} us`, `${(g.high * 1000).toFixed(1)} us; ctr c ls ${(ref.low * 1000).toFixed(1)} / ${(ref.high * 1000).toFixed(1)} us`);
    report.budget({
      name: `${what} growth: cost per container ${span(1, points.length - 1)} over ${span(0, 1)}`,
      measured: `${(g.high * 1000).toFixed(1)} us/container`,
      reference: `${span(0, 1)}: ${(g.low * 1000).toFixed(1)} us/container`,
      ratio: g.high / g.low,
      limit: `${BUDGET_GROWTH}x (linear or better)`,
      ok: linearOrBetter(g, BUDGET_GROWTH),
    });
  }
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  // Leave the daemon as it was: no bench containers, no bench namespace.
  try {
    const deleteMs = await timeMs(() => fleet.removeAll());
    report.single('delete the bench containers (Containers.Delete, 32 in flight)', formatMs(deleteMs));
  } catch (e) {
    console.error(`bench: cleanup of namespace ${NAMESPACE} failed: ${(e as Error).message}`);
    failure ??= e;
  }
  ctx.close();
}
report.finish('containers', benchStart, failure);
