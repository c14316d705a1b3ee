/**
 * The containers pane with 2,000 containers: how undock's relist compares with `ctr containers ls`
 * on the same data, what the row pipeline costs, keypress-to-frame in-process and through the
 * built CLI in a pty, and idle CPU. Run by scripts/bench.sh against its own sandbox.
 */
// Before Ink (and chalk) load: the selected row is only visible in a frame as its inverse colour.
process.env.FORCE_COLOR ??= '1';

import {performance} from 'node:perf_hooks';
import type {IDisposable} from 'node-pty';
import {buildConfig} from '../source/config.js';
import {createDataContext} from '../source/context.js';
import {containersProto, containersService, listContainers} from '../source/data/containerd/containers.js';
import {buildSpec, SPEC_TYPE_URL} from '../source/data/containerd/oci-spec.js';
import {taskMetrics} from '../source/data/containerd/metrics.js';
import {listTasks} from '../source/data/containerd/tasks.js';
import {encodeJsonAny} from '../source/data/grpc/any.js';
import {containers} from '../source/resources/containers/index.js';
import {loadContainers, type ContainerRow} from '../source/resources/containers/source.js';
import {columnWidths, viewRows, visibleColumns} from '../source/resources/rows.js';
import {AppController} from '../source/store/app-store.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, clockTicksPerSecond, cpuTicks, formatMs, mapLimit, runCli, sample, sleep, summarize, timeMs} from './helpers.js';

const NAMESPACE = 'bench';
const COUNT = 2_000;
const RUNS = 10;
const INK_PRESSES = 200;
const PTY_PRESSES = 100;
/** Pause between presses: about a held key's repeat rate, and longer than Ink's 33 ms render throttle. */
const PRESS_GAP_MS = 40;
const IDLE_MS = 10_000;
const IN_FLIGHT = 32;

const BUDGET_RELIST_RATIO = 3;
const GOAL_KEY_P99_MS = 50;
const BUDGET_KEY_P99_MS = 100;
const GOAL_IDLE_PERCENT = 0.5;
const BUDGET_IDLE_PERCENT = 2;

const env = sandboxEnv();
const config = buildConfig({view: 'containers', namespace: NAMESPACE}, process.env);
const ctx = createDataContext(config);
const report = new BenchReport(`containers pane: ${COUNT.toLocaleString('en')} containers in namespace "${NAMESPACE}" (containerd ${env.address})`);
const benchStart = performance.now();

const containerId = (i: number) => `bench-${String(i).padStart(4, '0')}`;
const ids = Array.from({length: COUNT}, (_, i) => containerId(i));
const ctr = (...args: string[]) => runCli('ctr', ['--address', env.address, '-n', NAMESPACE, ...args]);
const ctrIds = () => ctr('containers', 'ls', '-q').split('\n').filter(Boolean);

async function createContainers(): Promise<void> {
  // A fresh namespace: anything an interrupted run left behind goes first.
  await deleteContainers(ctrIds());
  await mapLimit(ids, IN_FLIGHT, (id) => {
    // What `ctr containers create` stores, minus the snapshot: a record is all the list path reads.
    const spec = buildSpec({id, namespace: NAMESPACE, args: ['sleep', 'infinity'], env: [], cwd: '/', hostNetwork: false});
    return ctx.containerd.conn.unary(
      containersProto,
      containersService,
      'Create',
      {
        container: {
          id,
          labels: {'nerdctl/name': id, 'bench/run': String(process.pid)},
          image: 'docker.io/library/busybox:latest',
          runtime: {name: 'io.containerd.runc.v2', options: null},
          spec: encodeJsonAny(SPEC_TYPE_URL, spec),
        },
      },
      {namespace: NAMESPACE},
    );
  });
}

async function deleteContainers(which: string[]): Promise<void> {
  await mapLimit(which, IN_FLIGHT, (id) =>
    ctx.containerd.conn.unary(containersProto, containersService, 'Delete', {id}, {namespace: NAMESPACE}),
  );
}

/** The text of the selected table row in an Ink frame (drawn inverse), or undefined. */
function selectedInFrame(frame: string | undefined): string | undefined {
  return frame?.split('\n').find((l) => l.includes('\x1b[7m') && /bench-\d{4}/.test(l));
}

/** Keypress to frame through the real <App> rendered by ink-testing-library, in this process. */
async function inkKeypresses(): Promise<{samples: number[]; loadMs: number}> {
  const [{render}, React, {App}, {registry}, {dispatchKey}] = await Promise.all([
    import('ink-testing-library'),
    import('react'),
    import('../source/app/app.js'),
    import('../source/views/registry.js'),
    import('../source/keys/router.js'),
  ]);
  const appCtx = createDataContext(config);
  const app = new AppController(appCtx, registry);
  const started = performance.now();
  app.start();
  const ui = render(React.createElement(App, {app, version: 'bench', findView: registry.find}));
  // Every frame Ink writes passes here: a waiter learns the moment the frame it waits for is out.
  let waiter: {test: (frame: string) => boolean; resolve: (at: number) => void} | undefined;
  const write = ui.stdout.write;
  ui.stdout.write = (frame: string) => {
    write(frame);
    if (waiter?.test(frame)) {
      const w = waiter;
      waiter = undefined;
      w.resolve(performance.now());
    }
  };
  const frameWhere = (test: (frame: string) => boolean, timeoutMs: number, what: string) =>
    new Promise<number>((resolve, reject) => {
      if (test(ui.lastFrame() ?? '')) {
        resolve(performance.now());
        return;
      }
      const timer = setTimeout(() => {
        waiter = undefined;
        reject(new Error(`ink: no frame with ${what} within ${timeoutMs} ms; last frame:\n${ui.lastFrame()}`));
      }, timeoutMs);
      waiter = {
        test,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
    });
  try {
    const loaded = await frameWhere(
      (f) => f.includes(`Containers(${NAMESPACE})[${COUNT}]`) && !!selectedInFrame(f)?.includes(containerId(0)),
      30_000,
      `${COUNT} rows loaded`,
    );
    const samples: number[] = [];
    for (let k = 1; k <= INK_PRESSES; k++) {
      await sleep(PRESS_GAP_MS);
      const want = containerId(k);
      const shown = frameWhere((f) => !!selectedInFrame(f)?.includes(want), 5_000, `${want} selected`);
      const t0 = performance.now();
      dispatchKey(app, {name: 'j', text: 'j'});
      samples.push((await shown) - t0);
    }
    const selected = (app.currentFrame().state as {selected: number}).selected;
    if (selected !== INK_PRESSES) throw new Error(`ink: selection is ${selected} after ${INK_PRESSES} presses`);
    return {samples, loadMs: loaded - started};
  } finally {
    ui.unmount();
    app.close();
    appCtx.close();
  }
}

/** The selected table row on a pty screen: the row drawn inverse that names a bench container. */
function selectedOnScreen(s: PtySession): string | undefined {
  const buf = s.term.buffer.active;
  for (let y = 0; y < s.term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line?.getCell(1)?.isInverse()) continue;
    const text = line.translateToString(true);
    if (/bench-\d{4}/.test(text)) return text;
  }
  return undefined;
}

/** Lets the headless terminal parse everything written so far. */
const flushed = (s: PtySession) => new Promise<void>((r) => s.term.write('', r));

/** Keypress to frame through the built CLI in a real pty: from the key's write to the output that shows the moved selection. */
async function ptyKeypresses(): Promise<{samples: number[]; loadMs: number}> {
  const started = performance.now();
  const s = new PtySession({args: ['--view', 'containers', '-n', NAMESPACE], cols: 120, rows: 30});
  let listener: IDisposable | undefined;
  try {
    await s.waitFor(`Containers(${NAMESPACE})[${COUNT}]`, 30_000);
    const loadMs = performance.now() - started;
    await s.waitFor(() => !!selectedOnScreen(s)?.includes(containerId(0)));
    const samples: number[] = [];
    for (let k = 1; k <= PTY_PRESSES; k++) {
      await sleep(PRESS_GAP_MS);
      const want = containerId(k);
      const t0 = performance.now();
      const shown = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`pty: ${want} not selected within 5 s; screen:\n${s.text()}`)), 5_000);
        listener = s.proc.onData(() => {
          // Time of the chunk that completes the change, not of the parse that follows.
          const at = performance.now();
          void flushed(s).then(() => {
            if (!selectedOnScreen(s)?.includes(want)) return;
            clearTimeout(timer);
            listener?.dispose();
            resolve(at);
          });
        });
      });
      s.proc.write('j');
      samples.push((await shown) - t0);
    }
    return {samples, loadMs};
  } finally {
    listener?.dispose();
    s.kill();
  }
}

/** CPU the CLI uses over IDLE_MS once a view has loaded and nothing is pressed, and the bytes it writes meanwhile. */
async function idleCpu(args: string[], loadedText: RegExp | string): Promise<{percent: number; bytes: number}> {
  const s = new PtySession({args, cols: 120, rows: 30});
  try {
    await s.waitFor(loadedText, 30_000);
    // Past start-up work (JIT, the first probe and relist).
    await sleep(1_000);
    const pid = s.proc.pid;
    const ticks0 = cpuTicks(pid);
    const bytes0 = s.output().length;
    const t0 = performance.now();
    await sleep(IDLE_MS);
    const ticks = cpuTicks(pid) - ticks0;
    const seconds = (performance.now() - t0) / 1000;
    return {percent: (ticks / clockTicksPerSecond / seconds) * 100, bytes: s.output().length - bytes0};
  } finally {
    s.kill();
  }
}

async function main(): Promise<void> {
  // 1. The data.
  const createMs = await timeMs(createContainers);
  const stored = ctrIds().length;
  if (stored !== COUNT) throw new Error(`ctr lists ${stored} containers in ${NAMESPACE}, expected ${COUNT}`);
  report.single(`create ${COUNT} containers (Containers.Create, ${IN_FLIGHT} in flight)`, formatMs(createMs), `${(COUNT / (createMs / 1000)).toFixed(0)}/s`);

  // 2a. containerd's own CLI on the same data.
  const ctrLs = summarize(
    await sample(RUNS, () => {
      const lines = ctr('containers', 'ls').trimEnd().split('\n').length;
      if (lines !== COUNT + 1) throw new Error(`ctr containers ls printed ${lines} lines`);
    }),
  );
  report.series('(a) ctr -n bench containers ls (wall, process start included)', ctrLs);

  // 2b. undock's relist, and where its time goes.
  let rows: ContainerRow[] = [];
  const relist = summarize(
    await sample(RUNS, async () => {
      rows = await loadContainers(ctx, {namespace: NAMESPACE, allNamespaces: false, params: {}});
      if (rows.length !== COUNT) throw new Error(`loadContainers returned ${rows.length} rows`);
    }),
  );
  report.series('(b) undock relist: loadContainers (ListStream + tasks List + Metrics)', relist);
  report.series(
    '    ListStream, messages as proto-loader decodes them',
    summarize(await sample(RUNS, () => ctx.containerd.conn.serverStream(containersProto, containersService, 'ListStream', {filters: []}, {namespace: NAMESPACE}))),
  );
  report.series('    listContainers (+ toContainerRecord: spec JSON, Any fields)', summarize(await sample(RUNS, () => listContainers(ctx.containerd, NAMESPACE))));
  report.series('    tasks List', summarize(await sample(RUNS, () => listTasks(ctx.containerd, NAMESPACE))));
  report.series('    tasks Metrics', summarize(await sample(RUNS, () => taskMetrics(ctx.containerd, NAMESPACE))));

  // 2c. The pure row pipeline a new list or a sort/filter change runs.
  const columns = visibleColumns(containers, false);
  const sort = {column: 'name', descending: false};
  report.series(
    '(c) viewRows + columnWidths (no filter, by name)',
    summarize(
      await sample(RUNS, () => {
        const views = viewRows(containers, rows, {filter: '', sort, now: Date.now(), columns});
        columnWidths(columns, views, 119);
      }),
    ),
  );
  report.series(
    '    viewRows + columnWidths (filter "19", by name)',
    summarize(
      await sample(RUNS, () => {
        const views = viewRows(containers, rows, {filter: '19', sort, now: Date.now(), columns});
        columnWidths(columns, views, 119);
      }),
    ),
  );

  // 2d. Keypress to frame, in process.
  const ink = await inkKeypresses();
  report.single('    <App> start to 2,000 rows in a frame (ink-testing-library)', formatMs(ink.loadMs));
  const inkStats = summarize(ink.samples);
  report.series(`(d) keypress to frame, <App> in ink-testing-library (j, ${PRESS_GAP_MS} ms apart)`, inkStats);

  // 2e. Keypress to frame, the built CLI in a pty.
  const pty = await ptyKeypresses();
  report.single('    CLI start to 2,000 rows on screen (pty)', formatMs(pty.loadMs));
  const ptyStats = summarize(pty.samples);
  report.series(`(e) keypress to frame, built CLI in a pty (j, ${PRESS_GAP_MS} ms apart)`, ptyStats);

  // Idle: the seeded default namespace, and (no budget) this one's 2,000 containers.
  const idleDefault = await idleCpu(['--view', 'containers', '-n', 'default'], /Containers\(default\)\[\d+\][\s\S]*worker/);
  report.single(`idle CPU, containers view of namespace default, ${IDLE_MS / 1000} s`, `${idleDefault.percent.toFixed(2)}%`, `${idleDefault.bytes} bytes written`);
  const idleBench = await idleCpu(['--view', 'containers', '-n', NAMESPACE], `Containers(${NAMESPACE})[${COUNT}]`);
  report.single(
    `idle CPU, containers view of namespace ${NAMESPACE} (${COUNT}), ${IDLE_MS / 1000} s`,
    `${idleBench.percent.toFixed(2)}%`,
    `${idleBench.bytes} bytes written; no budget: a relist every ${config.refreshMs / 1000} s`,
  );

  const ratio = relist.p50 / ctrLs.p50;
  report.budget({
    name: 'undock relist / ctr containers ls (p50 over p50)',
    measured: `${ratio.toFixed(2)}x`,
    limit: `${BUDGET_RELIST_RATIO.toFixed(1)}x`,
    ok: ratio <= BUDGET_RELIST_RATIO,
  });
  for (const [name, stats] of [
    ['keypress to frame p99, <App> in process', inkStats],
    ['keypress to frame p99, CLI in a pty', ptyStats],
  ] as const) {
    report.budget({
      name,
      measured: formatMs(stats.p99),
      limit: `${BUDGET_KEY_P99_MS} ms`,
      goal: `< ${GOAL_KEY_P99_MS} ms`,
      ok: stats.p99 <= BUDGET_KEY_P99_MS,
      goalMet: stats.p99 < GOAL_KEY_P99_MS,
    });
  }
  report.budget({
    name: 'idle CPU, containers view (default namespace)',
    measured: `${idleDefault.percent.toFixed(2)}%`,
    limit: `${BUDGET_IDLE_PERCENT}%`,
    goal: `< ${GOAL_IDLE_PERCENT}%`,
    ok: idleDefault.percent <= BUDGET_IDLE_PERCENT,
    goalMet: idleDefault.percent < GOAL_IDLE_PERCENT,
  });
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  // 4. Leave the daemon as it was: no bench containers, no bench namespace.
  try {
    const left = ctrIds();
    const deleteMs = await timeMs(() => deleteContainers(left));
    const remaining = ctrIds().length;
    if (remaining > 0) throw new Error(`${remaining} containers are still in ${NAMESPACE}`);
    runCli('ctr', ['--address', env.address, 'namespaces', 'rm', NAMESPACE]);
    report.single(`delete ${left.length} containers (Containers.Delete, ${IN_FLIGHT} in flight)`, formatMs(deleteMs));
  } catch (e) {
    console.error(`bench: cleanup of namespace ${NAMESPACE} failed: ${(e as Error).message}`);
    failure ??= e;
  }
  ctx.close();
}
report.finish('containers', benchStart, failure);
