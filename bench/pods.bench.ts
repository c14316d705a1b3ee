/**
 * The pods pane as the pod count grows: at 100 and 1,000 pod sandboxes, undock's relist (loadPods)
 * against the CRI round trip it is built on (ListPodSandbox + ListContainers from Node), and the
 * built CLI's start to the rows on screen. The bench pods use the host network (1,000 bridge IPs do
 * not fit the sandbox's /24) and are stopped as soon as they run, so 1,000 shims never live at once.
 * Making them is nearly all of this bench's time, spent starting and ending a shim and its runc
 * calls for each; 32 in flight keep both cores busy (8 made 3-9 a second here, 32 make 6-9).
 */
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {buildConfig} from '../source/config.js';
import {createDataContext} from '../source/context.js';
import {loadPods} from '../source/resources/pods/source.js';
import {podCgroupRoot, removeCgroups} from '../test/helpers/cri-pod.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, formatMs, mapLimit, sample, summarize, timeMs, type Stats} from './helpers.js';

const POINTS = (process.env.UNDOCK_BENCH_PODS ?? '100,1000').split(',').map(Number);
const RUNS = 30;
const WARMUP = 3;
const START_RUNS = 3;
const IN_FLIGHT = 32;
const BUDGET_RATIO = 3;
/** Linear or better: the cost per pod at the last point over the cost per pod at the first. */
const BUDGET_GROWTH = 1.5;
const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const LABEL = 'undock.dev/bench';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({view: 'pods'}, process.env));
const report = new BenchReport(`pods pane at ${POINTS.map((n) => n.toLocaleString('en')).join(' / ')} pod sandboxes (CRI on ${env.address})`);
const benchStart = performance.now();
/** The pod cgroups' parent, learnt from a seeded pod in main (so that a failure is reported). */
let cgroupRoot = '';

async function createPods(from: number, to: number): Promise<void> {
  const idx = Array.from({length: to - from}, (_, i) => from + i);
  await mapLimit(idx, IN_FLIGHT, async (i) => {
    const uid = `bench-${process.pid}-${i}`;
    const name = `bench-${String(i).padStart(4, '0')}`;
    const config = {
      metadata: {name, uid, namespace: 'undock-bench', attempt: 0},
      log_directory: path.join(env.sandbox, 'pods', uid),
      dns_config: {servers: [], searches: [], options: []},
      port_mappings: [],
      labels: {'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'undock-bench', 'io.kubernetes.pod.uid': uid, [LABEL]: 'true'},
      annotations: {},
      linux: {cgroup_parent: `${cgroupRoot}/pod${uid}`, security_context: {namespace_options: {network: 'NODE', pid: 'CONTAINER', ipc: 'POD'}}},
    };
    const run = await ctx.cri.conn.unary<object, {pod_sandbox_id: string}>(PROTO, RUNTIME, 'RunPodSandbox', {config, runtime_handler: ''}, {deadlineMs: 120_000});
    await ctx.cri.stopPodSandbox(run.pod_sandbox_id);
  });
}

/** Removes the bench pods, then their pod cgroups (kubelet removes those, CRI does not). */
async function removePods(): Promise<number> {
  const pods = await ctx.cri.listPodSandboxes({labelSelector: {[LABEL]: 'true'}});
  await mapLimit(pods, IN_FLIGHT, (p) => ctx.cri.removePodSandbox(p.id));
  removePodCgroups(pods.map((p) => p.uid));
  return pods.length;
}

/**
 * A pod cgroup in every cgroup v1 hierarchy (and the v2 root): left behind, the 9,000 of 1,000 pods
 * made the sandbox's `down` take 20-90 s (it spawns an rmdir for each; 4-8 s without them).
 */
function removePodCgroups(uids: string[]): void {
  if (cgroupRoot) removeCgroups(uids.map((uid) => path.join(cgroupRoot, `pod${uid}`)));
}

async function startToData(total: number): Promise<number> {
  const t0 = performance.now();
  const s = new PtySession({args: ['--view', 'pods'], cols: 120, rows: 30});
  try {
    await s.waitFor(`Pods[${total}]`, 60_000);
    return performance.now() - t0;
  } finally {
    s.kill();
  }
}

/**
 * The reference and undock's relist in the same rounds, taking turns at going first: the machine is
 * shared, and a burst of someone else's work then lands on both instead of on one series (measured
 * one series after the other, the CRI round trip at 100 pods once came out at 2.4x undock's relist,
 * which makes the same two calls and more).
 */
async function sampleInTurns(runs: number, a: () => unknown, b: () => unknown): Promise<[number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      as.push(await timeMs(a));
      bs.push(await timeMs(b));
    } else {
      bs.push(await timeMs(b));
      as.push(await timeMs(a));
    }
  }
  return [as, bs];
}

/**
 * The reference: the two calls as any Node client gets them (grpc-js, proto-loader's decode), without
 * undock's records (CriClient's mapping, its timestamps) or its join, which are what loadPods adds.
 */
const roundTrip = () =>
  Promise.all([
    ctx.cri.conn.unary<object, {items: unknown[]}>(PROTO, RUNTIME, 'ListPodSandbox', {filter: {id: '', label_selector: {}}}),
    ctx.cri.conn.unary<object, {containers: unknown[]}>(PROTO, RUNTIME, 'ListContainers', {filter: {id: '', pod_sandbox_id: '', label_selector: {}}}),
  ]);

const perPod = (ms: number, pods: number) => `${((ms / pods) * 1000).toFixed(1)} µs a pod`;

async function main(): Promise<void> {
  cgroupRoot = await podCgroupRoot(ctx.cri);
  await removePods();
  const points: Array<{n: number; total: number; ref: Stats; relist: Stats}> = [];
  let have = 0;
  for (const n of POINTS) {
    const createMs = await timeMs(() => createPods(have, n));
    report.single(`run and stop pods ${have} to ${n} (RunPodSandbox + StopPodSandbox, ${IN_FLIGHT} in flight)`, formatMs(createMs), `${((n - have) / (createMs / 1000)).toFixed(1)}/s`);
    have = n;
    const total = (await ctx.cri.listPodSandboxes()).length;
    const [refSamples, relistSamples] = await sampleInTurns(
      RUNS,
      roundTrip,
      async () => {
        const rows = await loadPods(ctx);
        if (rows.length !== total) throw new Error(`loadPods returned ${rows.length} rows, CRI lists ${total}`);
      },
    );
    const ref = summarize(refSamples);
    const relist = summarize(relistSamples);
    const start = summarize(await sample(START_RUNS, () => startToData(total), 0));
    const at = n.toLocaleString('en');
    report.series(`(a) ${at}: CRI ListPodSandbox + ListContainers round trip (grpc-js, proto-loader decode)`, ref, `p50 ${perPod(ref.p50, total)}`);
    report.series(`(b) ${at}: undock relist, loadPods (same rounds as (a), taking turns)`, relist, `p50 ${perPod(relist.p50, total)}`);
    report.series(`(c) ${at}: CLI start to the rows on screen (pty), ${total} pods`, start);
    points.push({n, total, ref, relist});
    report.budget({
      name: `pods relist / CRI round trip at ${at} (p50 over p50)`,
      measured: formatMs(relist.p50),
      reference: `ListPodSandbox + ListContainers: ${formatMs(ref.p50)}`,
      ratio: relist.p50 / ref.p50,
      limit: `${BUDGET_RATIO.toFixed(1)}x`,
      ok: relist.p50 / ref.p50 <= BUDGET_RATIO,
    });
  }
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (first === last) return;
  // Growth is the cost per pod at the last point over the cost per pod at the first: 1 is linear,
  // below 1 is the fixed cost of the two calls spread over more pods.
  const growth = (s: (p: (typeof points)[number]) => Stats) => s(last).p50 / last.total / (s(first).p50 / first.total);
  const ours = growth((p) => p.relist);
  const theirs = growth((p) => p.ref);
  const span = `${first.n} -> ${last.n}`;
  report.budget({
    name: `pods relist growth ${span}: cost per pod at ${last.n} over at ${first.n}`,
    measured: `${perPod(last.relist.p50, last.total)} at ${last.n}, ${perPod(first.relist.p50, first.total)} at ${first.n}`,
    reference: `CRI round trip: ${perPod(last.ref.p50, last.total)} / ${perPod(first.ref.p50, first.total)} (${theirs.toFixed(2)}x)`,
    ratio: ours,
    limit: `${BUDGET_GROWTH}x (linear or better)`,
    ok: ours <= BUDGET_GROWTH,
  });
  // The round trip's own fixed cost makes any relist on top of it look sublinear: undock's growth
  // against the daemon's growth shows whether undock adds a cost that grows faster than the calls.
  report.budget({
    name: `pods relist growth ${span} over the CRI round trip's own growth`,
    measured: `undock ${ours.toFixed(2)}x`,
    reference: `CRI round trip ${theirs.toFixed(2)}x`,
    ratio: ours / theirs,
    limit: `${BUDGET_GROWTH}x`,
    ok: ours / theirs <= BUDGET_GROWTH,
  });
}

let failure: unknown;
try {
  await main();
} catch (e) {
  failure = e;
} finally {
  try {
    const removeMs = await timeMs(async () => report.single('pods removed', String(await removePods())));
    report.single('remove the bench pods (RemovePodSandbox)', formatMs(removeMs));
  } catch (e) {
    console.error(`bench: removing the bench pods failed: ${(e as Error).message}`);
    failure ??= e;
  }
  ctx.close();
}
report.finish('pods', benchStart, failure);
