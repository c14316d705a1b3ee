/**
 * The pods pane as the pod count grows: at 100 and 1,000 pod sandboxes, undock's relist (loadPods)
 * against the CRI round trip it is built on (ListPodSandbox + ListContainers from Node), and the
 * built CLI's start to the rows on screen. The bench pods use the host network (1,000 bridge IPs do
 * not fit the sandbox's /24) and are stopped as soon as they run, so 1,000 shims never live at once.
 */
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {buildConfig} from '../source/config.js';
import {createDataContext} from '../source/context.js';
import {loadPods} from '../source/resources/pods/source.js';
import {podCgroupRoot} from '../test/helpers/cri-pod.js';
import {PtySession} from '../test/helpers/pty.js';
import {sandboxEnv} from '../test/helpers/sandbox-env.js';
import {BenchReport, formatMs, mapLimit, sample, summarize, timeMs, type Stats} from './helpers.js';

const POINTS = (process.env.UNDOCK_BENCH_PODS ?? '100,1000').split(',').map(Number);
const RUNS = 10;
const START_RUNS = 3;
const IN_FLIGHT = 8;
const BUDGET_RATIO = 3;
/** Linear or better: undock's relist over the CRI round trip grows at most this much from the first point to the last. */
const BUDGET_GROWTH = 1.5;
const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const LABEL = 'undock.dev/bench';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({view: 'pods'}, process.env));
const report = new BenchReport(`pods pane at ${POINTS.map((n) => n.toLocaleString('en')).join(' / ')} pod sandboxes (CRI on ${env.address})`);
const benchStart = performance.now();

async function createPods(from: number, to: number, cgroupRoot: string): Promise<void> {
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

async function removePods(): Promise<number> {
  const pods = await ctx.cri.listPodSandboxes({labelSelector: {[LABEL]: 'true'}});
  await mapLimit(pods, IN_FLIGHT, (p) => ctx.cri.removePodSandbox(p.id));
  return pods.length;
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

async function main(): Promise<void> {
  await removePods();
  const cgroupRoot = await podCgroupRoot(ctx.cri);
  const points: Array<{n: number; ref: Stats; relist: Stats}> = [];
  let have = 0;
  for (const n of POINTS) {
    const createMs = await timeMs(() => createPods(have, n, cgroupRoot));
    report.single(`run and stop pods ${have} to ${n} (RunPodSandbox + StopPodSandbox, ${IN_FLIGHT} in flight)`, formatMs(createMs), `${((n - have) / (createMs / 1000)).toFixed(1)}/s`);
    have = n;
    const total = (await ctx.cri.listPodSandboxes()).length;
    const ref = summarize(await sample(RUNS, () => Promise.all([ctx.cri.listPodSandboxes(), ctx.cri.listContainers()])));
    const relist = summarize(
      await sample(RUNS, async () => {
        const rows = await loadPods(ctx);
        if (rows.length !== total) throw new Error(`loadPods returned ${rows.length} rows, CRI lists ${total}`);
      }),
    );
    const start = summarize(await sample(START_RUNS, () => startToData(total), 0));
    const at = n.toLocaleString('en');
    report.series(`(a) ${at}: CRI ListPodSandbox + ListContainers round trip (Node)`, ref);
    report.series(`(b) ${at}: undock relist, loadPods`, relist);
    report.series(`(c) ${at}: CLI start to the rows on screen (pty), ${total} pods`, start);
    points.push({n, ref, relist});
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
  const growth = last.relist.p50 / last.ref.p50 / (first.relist.p50 / first.ref.p50);
  report.budget({
    name: `pods relist growth ${first.n} -> ${last.n}: its ratio to the CRI round trip`,
    measured: `${(last.relist.p50 / last.ref.p50).toFixed(2)}x at ${last.n}`,
    reference: `${(first.relist.p50 / first.ref.p50).toFixed(2)}x at ${first.n}`,
    ratio: growth,
    limit: `${BUDGET_GROWTH}x (linear or better)`,
    ok: growth <= BUDGET_GROWTH,
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
