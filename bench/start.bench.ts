/**
 * Start: from spawning the built CLI in a pty to its first view showing its data (the containers
 * pane with the seeded rows, the pods view with its rows, the key tree's first level), against
 * `node -e 0` measured in the same run, rounds interleaved so load on the machine hits all alike.
 * `ctr c ls` + `ctr t ls` is the daemon CLI's figure for the same rows. UNDOCK_BENCH_BEFORE=<path of
 * another build's main.js> measures that build too, in the same rounds (the before of a change).
 * The budget is a start with the code cache an earlier run wrote, as every start after the first
 * is; the first start after an install is reported beside it.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, formatMs, sleep, summarize, timeMs} from './helpers.js';

const RUNS = Number(process.env.UNDOCK_BENCH_START_RUNS ?? 20);
const RATIO = 3;
const SIZE = {cols: 140, rows: 40};

const env = sandboxEnv();
const before = process.env.UNDOCK_BENCH_BEFORE;
const report = new BenchReport(`start: spawn to the first view with its data, built CLI in a pty (${RUNS} rounds, interleaved)`);
const benchStart = performance.now();

const row = (text: string, re: RegExp) => text.split('\n').some((l) => re.test(l));

interface View {
  id: string;
  args: string[];
  what: string;
  ready: (text: string) => boolean;
}

const views: View[] = [
  {
    id: 'containers',
    args: ['--view', 'containers'],
    what: 'Containers(default) with web and worker running',
    ready: (t) => t.includes('Containers(default)[') && row(t, /^ web .*running/) && row(t, /^ worker .*running/),
  },
  {
    id: 'pods',
    args: ['--view', 'pods'],
    what: 'Pods with nginx-7d9f and coredns-5d78 Ready',
    ready: (t) => row(t, /nginx-7d9f.*Ready/) && row(t, /coredns-5d78.*Ready/),
  },
  {
    id: 'keys',
    args: ['--view', 'keys'],
    what: 'the key tree\'s first level: / and config/ with their key counts',
    ready: (t) => row(t, /^ [▸▾] \/ +\d+ keys/) && row(t, /^ [▸▾] config\/ +\d+ keys/),
  },
];

/**
 * Spawn to the first output, and to the chunk after which the screen shows `ready`. `quit`: quit
 * with q once ready (the way out that writes the V8 code cache a later start reads) instead of a kill.
 */
async function start(cli: string | undefined, view: View, opts: {env?: NodeJS.ProcessEnv; quit?: boolean} = {}): Promise<{frameMs: number; readyMs: number}> {
  const t0 = performance.now();
  const s = new PtySession({cli, args: view.args, env: opts.env, ...SIZE});
  try {
    let frameMs = NaN;
    const readyMs = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${view.id}: not ready within 20 s (${view.what}); screen:\n${s.text()}`)), 20_000);
      s.proc.onData(() => {
        const at = performance.now() - t0;
        if (Number.isNaN(frameMs)) frameMs = at;
        // The time of the chunk that completes the view, known once the terminal has parsed it.
        s.term.write('', () => {
          if (!view.ready(s.text())) return;
          clearTimeout(timer);
          resolve(at);
        });
      });
      s.proc.onExit(({exitCode}) => reject(new Error(`${view.id}: undock exited ${exitCode} before ready; screen:\n${s.text()}`)));
    });
    if (opts.quit) {
      s.proc.write('q');
      if ((await s.waitExit(5_000)) !== 0) throw new Error(`${view.id}: q did not quit undock cleanly (exit ${s.exitCode}); screen:\n${s.text()}`);
    }
    return {frameMs, readyMs};
  } finally {
    s.kill();
  }
}

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

const ctrArgs = ['--address', env.address, '-n', 'default'];
const builds: Array<{label: string; cli?: string}> = [{label: 'undock'}, ...(before ? [{label: 'before', cli: before}] : [])];
const nodeZero: number[] = [];
const ctrLs: number[] = [];
const samples = new Map<string, {frame: number[]; ready: number[]}>();
for (const b of builds) for (const v of views) samples.set(`${b.label} ${v.id}`, {frame: [], ready: []});

// A first start after an install or a Node upgrade has no code cache of its own yet, only the one the
// build shipped (source/boot/code-cache.ts): measured beside the others with a cache folder of its
// own, empty each round, and not budgeted.
const coldReady: number[] = [];
async function coldStart(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-bench-cold-'));
  try {
    coldReady.push((await start(undefined, views[0]!, {env: {XDG_CACHE_HOME: folder}})).readyMs);
  } finally {
    fs.rmSync(folder, {recursive: true, force: true});
  }
}

let failure: unknown;
try {
  // One unmeasured round, each quit with q: the page cache holds node, the bundle and the daemons'
  // first answers, and each build's code cache is written (a start killed at its data writes none).
  for (const b of builds) for (const v of views) await start(b.cli, v, {quit: true});
  for (let i = 0; i < RUNS; i++) {
    nodeZero.push(await timeMs(() => run(process.execPath, ['-e', '0'])));
    ctrLs.push(await timeMs(() => (run('ctr', [...ctrArgs, 'c', 'ls']), run('ctr', [...ctrArgs, 't', 'ls']))));
    await coldStart();
    await sleep(100);
    for (const b of builds) {
      for (const v of views) {
        const r = await start(b.cli, v);
        const s = samples.get(`${b.label} ${v.id}`)!;
        s.frame.push(r.frameMs);
        s.ready.push(r.readyMs);
        await sleep(100); // the killed session's exit, outside the next measurement
      }
    }
  }
} catch (err) {
  failure = err;
}

const floor = summarize(nodeZero);
report.series('node -e 0 (the floor under any CLI start)', floor);
report.series('ctr c ls + ctr t ls (wall, process starts included)', summarize(ctrLs));
for (const b of builds) {
  for (const v of views) {
    const s = samples.get(`${b.label} ${v.id}`)!;
    if (s.ready.length === 0) continue;
    const tag = b.cli ? `${b.label} (${b.cli})` : 'undock';
    report.series(`${tag} --view ${v.id}: spawn to first output`, summarize(s.frame));
    report.series(`${tag} --view ${v.id}: spawn to data on screen`, summarize(s.ready), v.what);
  }
}
if (coldReady.length) {
  report.series(`undock --view ${views[0]!.id}, first start (the shipped code cache only): spawn to data on screen`, summarize(coldReady), 'once per install or Node upgrade; not budgeted');
}
for (const v of views) {
  const s = samples.get(`undock ${v.id}`)!;
  if (s.ready.length === 0) continue;
  const p50 = summarize(s.ready).p50;
  const ratio = p50 / floor.p50;
  report.budget({
    name: `start to ${v.id} with data (p50)`,
    measured: `${formatMs(p50)} (${ratio.toFixed(2)}x)`,
    limit: `≤ ${RATIO.toFixed(1)}x`,
    ok: ratio <= RATIO,
    reference: `node -e 0: ${formatMs(floor.p50)}`,
    ratio,
  });
}
report.finish('start', benchStart, failure);
