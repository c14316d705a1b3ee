/**
 * Idle: what undock costs while nothing changes. Every view (containers, images, pods, events, keys
 * of the seeded sandbox, and containers at 2,000) runs as the built CLI in its own pty, and each is
 * measured over a window: CPU% of its process from /proc ticks, and the bytes it wrote to the pty
 * (nothing changed, so anything written is a repaint nobody needed). A plain Node process with a 2 s
 * timer is measured beside them as the floor of what an idle Node costs here.
 *
 * Two windows, not one: ages under 2 minutes read seconds and tick every second (a real change), so
 * the 2,000 containers are measured once they read minutes, 125 s after they were made. The seeded
 * views (all at once) are measured while the fleet ages, and the fleet's sessions are started before
 * their window opens, so only the fleet's making, its 125 s and its window are on the bench's wall.
 */
import {spawn} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {buildConfig} from '../source/config.js';
import {createDataContext} from '../source/context.js';
import {findResource} from '../source/resources/registry.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {Fleet} from './fleet.js';
import {BenchReport, clockTicksPerSecond, cpuTicks, formatMs, sleep, timeMs} from './helpers.js';

const IDLE_MS = Number(process.env.UNDOCK_BENCH_IDLE_MS ?? 60_000);
const MANY = 2_000;
const GOAL_PERCENT = 0.3;
// Past start-up work: JIT, the first probe and relist, the settle relist, and V8's memory reducer,
// which compacts the heap start built once the process goes quiet (--trace-gc: a scavenge ~8 s
// after start, two mark-compacts ~16-17 s after, ~40 ms in all, once). Counted from 3 s after the
// rows, that one-off was a third of the seeded containers view's minute (0.32% against 0.22%).
const SETTLE_MS = 20_000;

const env = sandboxEnv();
const config = buildConfig({view: 'containers', namespace: 'idle'}, process.env);
const ctx = createDataContext(config);
const fleet = new Fleet(ctx, 'idle', env.address);
const report = new BenchReport(`idle: every view, nothing changing, ${IDLE_MS / 1000} s each, measured side by side (containerd ${env.address})`);
const benchStart = performance.now();

interface Case {
  name: string;
  args: string[];
  loaded: RegExp | string;
  /** Written to the terminal once loaded: a terminal that says it lost the focus. */
  after?: string;
}

const cases: Case[] = [
  {name: 'containers (default)', args: ['--view', 'containers', '-n', 'default'], loaded: /Containers\(default\)\[\d+\][\s\S]*worker/},
  {name: 'images (default)', args: ['--view', 'images', '-n', 'default'], loaded: /Images\(default\)\[\d+\] /},
  {name: 'pods', args: ['--view', 'pods'], loaded: /Pods\[\d+\]/},
  {name: 'events', args: ['--view', 'events'], loaded: /Events\[\d+\]/},
  {name: 'keys', args: ['--view', 'keys'], loaded: /etcd keys \(v3 API, rev \d+\) \[\d+\][\s\S]*▸ config\//},
  {name: `containers (${MANY.toLocaleString('en')})`, args: ['--view', 'containers', '-n', 'idle'], loaded: `Containers(idle)[${MANY}]`},
  {name: `containers (${MANY.toLocaleString('en')}), focus lost`, args: ['--view', 'containers', '-n', 'idle'], loaded: `Containers(idle)[${MANY}]`, after: '\x1b[O'},
];

/** Seeded views whose relative times (AGE, "Exited (0) 2m ago") must read minutes before they are measured. */
const seeded = [
  {resource: 'containers', namespace: 'default'},
  {resource: 'images', namespace: 'default'},
  {resource: 'pods', namespace: 'k8s.io'},
];

/**
 * Waits until no relative time of the seeded rows reads seconds (those tick every second: a real
 * change). In a whole `npm run bench` the seed is minutes old by now; run alone, this waits for it.
 */
async function seededReadMinutes(): Promise<number> {
  const start = Date.now();
  for (;;) {
    let seconds = false;
    for (const {resource: id, namespace} of seeded) {
      const resource = findResource(id)!;
      const rows = await resource.load(ctx, {namespace, allNamespaces: false, params: {}}, new AbortController().signal);
      const now = Date.now();
      const timed = resource.columns.filter((c) => c.changesAt);
      seconds ||= rows.some((r) => timed.some((c) => /\b\d+s\b/.test(c.cell(r, now))));
    }
    if (!seconds || Date.now() - start > 150_000) return Date.now() - start;
    await sleep(2_000);
  }
}

/** The first bytes written, escapes visible: what repainted. */
const shown = (s: string) => JSON.stringify(s.slice(0, 80)).slice(1, -1);

/**
 * Follows what a session writes: a burst of output that leaves the screen's text as it was is a
 * repaint nobody needed (wasted); one that changes it (an AGE that now reads 4m) is a real change.
 */
function watchWrites(s: PtySession) {
  const w = {bytes: 0, wasted: 0, changes: 0, sample: ''};
  let last = s.text();
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  s.proc.onData((d) => {
    pending += d;
    clearTimeout(timer);
    timer = setTimeout(() => {
      s.term.write('', () => {
        const now = s.text();
        const bytes = Buffer.byteLength(pending);
        w.bytes += bytes;
        if (now === last) {
          w.wasted += bytes;
          w.sample ||= shown(pending);
        } else w.changes++;
        last = now;
        pending = '';
      });
    }, 100);
  });
  return w;
}

/**
 * Starts the cases' sessions, waits until each shows its data, then measures them all over one
 * window, opened no sooner than `notBefore` (a Date.now() time).
 */
async function measure(group: Case[], floorNote: string, notBefore = 0): Promise<void> {
  const sessions = group.map((c) => ({c, s: new PtySession({args: c.args, cols: 120, rows: 30})}));
  const floor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 2000)'], {stdio: 'ignore'});
  try {
    await Promise.all(sessions.map(({c, s}) => s.waitFor(c.loaded, 60_000)));
    for (const {c, s} of sessions) if (c.after) s.proc.write(c.after);
    await sleep(Math.max(SETTLE_MS, notBefore - Date.now()));
    const start = sessions.map(({s}) => ({ticks: cpuTicks(s.proc.pid), w: watchWrites(s)}));
    const floorTicks = cpuTicks(floor.pid!);
    const t0 = performance.now();
    await sleep(IDLE_MS);
    const seconds = (performance.now() - t0) / 1000;
    const percent = (ticks: number) => (ticks / clockTicksPerSecond / seconds) * 100;
    const floorPercent = percent(cpuTicks(floor.pid!) - floorTicks);
    report.single(`idle Node process (setInterval 2 s), ${seconds.toFixed(0)} s`, `${floorPercent.toFixed(2)}%`, floorNote);
    sessions.forEach(({c, s}, i) => {
      const cpu = percent(cpuTicks(s.proc.pid) - start[i]!.ticks);
      const {bytes, wasted, changes, sample} = start[i]!.w;
      report.single(
        `idle ${c.name}, ${seconds.toFixed(0)} s`,
        `${cpu.toFixed(2)}%`,
        `${bytes} B written, ${changes} screen changes (an age's text), ${wasted} B that changed nothing${sample ? `: ${sample}` : ''}`,
      );
      report.budget({
        name: `idle CPU, ${c.name}`,
        measured: `${cpu.toFixed(2)}%`,
        limit: `${GOAL_PERCENT}%`,
        reference: `idle Node: ${floorPercent.toFixed(2)}%`,
        ok: cpu <= GOAL_PERCENT,
      });
      report.budget({name: `bytes written that changed nothing on screen, idle ${c.name}`, measured: `${wasted} B`, limit: '0 B', ok: wasted === 0});
    });
  } finally {
    for (const {s} of sessions) s.kill();
    floor.kill();
  }
}

async function main(): Promise<void> {
  await fleet.removeAll().catch(() => 0);
  const createMs = await timeMs(() => fleet.create(0, MANY));
  const createdAt = Date.now();
  report.single(`create ${MANY} containers in namespace idle`, formatMs(createMs));
  const waited = await seededReadMinutes();
  if (waited > 1_000) report.single('wait until the seeded rows read minutes (a bench run alone, just after the seed)', formatMs(waited));
  await measure(cases.slice(0, 5), 'beside the seeded views');
  // Ages under 2 minutes tick every second (a real change, redrawn): the fleet is measured once it
  // reads minutes; its sessions start (and load) meanwhile.
  await measure(cases.slice(5), `beside the ${MANY.toLocaleString('en')} views`, createdAt + 125_000);
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  try {
    await fleet.removeAll();
  } catch (e) {
    console.error(`bench: cleanup of namespace idle failed: ${(e as Error).message}`);
    failure ??= e;
  }
  ctx.close();
}
report.finish('idle', benchStart, failure);
