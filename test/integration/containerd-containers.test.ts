import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {deleteContainer, getContainer, listContainers} from '../../source/data/containerd/containers.js';
import {cpuPercent, taskMetrics} from '../../source/data/containerd/metrics.js';
import {
  deleteTask,
  getTask,
  killTask,
  listPids,
  listTasks,
  pauseTask,
  resumeTask,
  startTask,
  stopTask,
  waitTask,
} from '../../source/data/containerd/tasks.js';
import {UndockError} from '../../source/data/errors.js';
import {loadContainers, type ContainerRow} from '../../source/resources/containers/source.js';
import {ctr, makeTestNamespace, removeTestNamespace} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const c = ctx.containerd;
// Our own namespace: what these tests create and break never shows in the seeded one.
const ns = `undock-test-${process.pid}`;
const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
const busybox = 'docker.io/library/busybox:latest';
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-containers-'));
let cgroupParent = '';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** `ctr tasks ls` as {id: {pid, status}}. */
function ctrTasks(namespace: string): Map<string, {pid: number; status: string}> {
  const rows = ctr(namespace, 'tasks', 'ls').trimEnd().split('\n').slice(1);
  return new Map(
    rows.map((line) => {
      const [id, pid, status] = line.trim().split(/\s+/);
      return [id!, {pid: Number(pid), status: status!}];
    }),
  );
}

function ctrSnapshotKeys(namespace: string): string[] {
  return ctr(namespace, 'snapshots', '--snapshotter', snapshotter, 'ls')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0]!);
}

function logPath(id: string): string {
  return path.join(logDir, `${id}.log`);
}

/**
 * A busybox container in our namespace, made the way the sandbox seeds its own: runc state under
 * the sandbox and the cgroup under its parent, so `sandbox.sh down` cleans up whatever is left.
 * Its output goes to the file its undock/log-uri label names.
 */
function ctrRun(id: string, command: string[], opts: {nullIo?: boolean} = {}): void {
  const uri = `file://${logPath(id)}`;
  ctr(
    ns,
    'run',
    '-d',
    '--net-host',
    '--snapshotter',
    snapshotter,
    '--runc-root',
    path.join(env.sandbox, 'runc'),
    '--cgroup',
    `${cgroupParent}/${ns}/${id}`,
    '--label',
    `nerdctl/name=${id}`,
    '--label',
    `undock/log-uri=${uri}`,
    ...(opts.nullIo ? ['--null-io'] : [`--log-uri=${uri}`]),
    busybox,
    id,
    ...command,
  );
}

before(() => {
  cgroupParent = makeTestNamespace(ns, busybox, snapshotter);
});

after(async () => {
  try {
    removeTestNamespace(ns, busybox, cgroupParent);
  } finally {
    ctx.close();
    fs.rmSync(logDir, {recursive: true, force: true});
  }
});

test('listContainers (ListStream) returns what ctr lists: ids, images, labels, runtime, snapshot, spec', async () => {
  const ours = await listContainers(c, 'default');
  const theirs = ctr('default', 'containers', 'ls', '-q').trim().split('\n').sort();
  assert.deepEqual(ours.map((r) => r.id).sort(), theirs);
  for (const id of ['web', 'worker', 'batch-job', 'failed-job', 'unstarted']) assert.ok(theirs.includes(id), `seeded ${id}`);
  for (const r of ours) {
    const info = JSON.parse(ctr('default', 'containers', 'info', r.id)) as {
      Image: string;
      Labels: Record<string, string>;
      Runtime: {Name: string};
      Snapshotter: string;
      SnapshotKey: string;
      Spec: {process: {args: string[]}};
      CreatedAt: string;
    };
    assert.equal(r.image, info.Image, `${r.id} image`);
    assert.deepEqual(r.labels, info.Labels ?? {}, `${r.id} labels`);
    assert.equal(r.runtime.name, info.Runtime.Name);
    assert.equal(r.snapshotter, info.Snapshotter);
    assert.equal(r.snapshotKey, info.SnapshotKey);
    assert.deepEqual((r.spec as {process: {args: string[]}}).process.args, info.Spec.process.args, `${r.id} spec`);
    assert.equal(r.createdAt?.getTime(), Date.parse(info.CreatedAt), `${r.id} created`);
  }
  const web = ours.find((r) => r.id === 'web')!;
  assert.equal(web.labels['nerdctl/name'], 'web');
  assert.match(web.labels['undock/log-uri'] ?? '', /^file:\/\/.*\/web\.log$/);
  assert.equal((web.runtime.options as {root: string}).root, path.join(env.sandbox, 'runc'), 'runc options decoded');
});

test('listContainers passes containerd filters through', async () => {
  const rows = await listContainers(c, 'default', ['labels."nerdctl/name"==web', 'id==worker']);
  assert.deepEqual(rows.map((r) => r.id).sort(), ['web', 'worker']);
});

test('getContainer returns one record; a missing one is a not-found UndockError', async () => {
  const web = await getContainer(c, 'default', 'web');
  assert.equal(web.id, 'web');
  assert.equal(web.image, busybox);
  await assert.rejects(getContainer(c, 'default', `no-such-${process.pid}`), (e: unknown) => e instanceof UndockError && e.kind === 'not-found');
});

test('listTasks agrees with ctr tasks ls; the jobs kept their exit codes; unstarted has no task', async () => {
  const ours = await listTasks(c, 'default');
  const theirs = ctrTasks('default');
  assert.deepEqual(ours.map((t) => t.id).sort(), [...theirs.keys()].sort());
  for (const t of ours) {
    assert.equal(t.pid, theirs.get(t.id)!.pid, `${t.id} pid`);
    assert.equal(t.status.toUpperCase(), theirs.get(t.id)!.status, `${t.id} status`);
  }
  const byId = new Map(ours.map((t) => [t.id, t]));
  assert.equal(byId.get('web')?.status, 'running');
  assert.equal(byId.get('worker')?.status, 'running');
  assert.equal(byId.get('batch-job')?.status, 'stopped');
  assert.equal(byId.get('batch-job')?.exitStatus, 0);
  assert.ok(byId.get('batch-job')?.exitedAt instanceof Date);
  assert.equal(byId.get('failed-job')?.status, 'stopped');
  assert.equal(byId.get('failed-job')?.exitStatus, 3);
  assert.equal(byId.get('web')?.exitStatus, undefined, 'no exit status while running');
  assert.ok(!byId.has('unstarted'));
  assert.equal(await getTask(c, 'default', 'unstarted'), undefined);
  assert.equal((await getTask(c, 'default', 'web'))?.pid, theirs.get('web')!.pid);
});

test('a task through its life: stop (SIGTERM, then SIGKILL), start again, pause, resume, pids, metrics, delete', async () => {
  const id = `life-${process.pid}`;
  // sleep as PID 1 ignores SIGTERM: stop has to escalate.
  ctrRun(id, ['sh', '-c', 'echo "life started"; exec sleep 600']);
  const first = ctrTasks(ns).get(id)!;
  assert.equal(first.status, 'RUNNING');
  assert.equal((await getTask(c, ns, id))?.pid, first.pid);

  const phases: string[] = [];
  const stopped = await stopTask(c, ns, id, 1_000, (p) => phases.push(p));
  assert.deepEqual(phases, ['sigterm', 'sigkill', 'stopped']);
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.exitStatus, 128 + 9);
  assert.equal(ctrTasks(ns).get(id)?.status, 'STOPPED');

  const started = await startTask(c, ns, id);
  assert.equal(started.status, 'running');
  const again = ctrTasks(ns).get(id)!;
  assert.equal(again.status, 'RUNNING');
  assert.equal(again.pid, started.pid);
  assert.notEqual(again.pid, first.pid, 'a new process');
  // The new task writes to the label's log file too (the shim appends).
  await eventually('the second start in the log', () => (fs.readFileSync(logPath(id), 'utf8').match(/life started/g)?.length ?? 0) >= 2 || undefined);

  await pauseTask(c, ns, id);
  assert.equal(ctrTasks(ns).get(id)?.status, 'PAUSED');
  assert.equal((await getTask(c, ns, id))?.status, 'paused');
  await resumeTask(c, ns, id);
  assert.equal(ctrTasks(ns).get(id)?.status, 'RUNNING');

  const pids = await listPids(c, ns, id);
  assert.ok(pids.some((p) => p.pid === started.pid), `pids ${JSON.stringify(pids)} include ${started.pid}`);
  assert.deepEqual(
    pids.map((p) => p.pid).sort(),
    ctr(ns, 'tasks', 'ps', id).trimEnd().split('\n').slice(1).map((l) => Number(l.trim().split(/\s+/)[0])).sort(),
    'as ctr tasks ps',
  );

  const m1 = (await taskMetrics(c, ns, [id])).get(id);
  assert.ok(m1, 'metrics for the running task');
  assert.ok(m1.memoryUsageBytes > 0, 'memory in use');
  assert.ok(Number.isFinite(m1.cpuUsageNanos) && m1.cpuUsageNanos > 0, 'cpu time');
  assert.ok(m1.timestamp instanceof Date);
  assert.equal(m1.pids, pids.length);
  await sleep(200);
  const all = await taskMetrics(c, ns);
  const m2 = all.get(id)!;
  assert.ok(m2.timestamp.getTime() > m1.timestamp.getTime());
  const pct = cpuPercent(m1, m2);
  assert.ok(Number.isFinite(pct) && pct >= 0 && pct < 100 * os.cpus().length, `cpu ${pct}%`);
  assert.equal((await taskMetrics(c, ns, [`no-such-${process.pid}`])).size, 0, 'filtered by id');

  await deleteContainer(c, ns, id);
  assert.ok(!ctr(ns, 'containers', 'ls', '-q').split('\n').includes(id), 'container gone');
  assert.ok(!ctrTasks(ns).has(id), 'task gone');
  assert.ok(!ctrSnapshotKeys(ns).includes(id), 'snapshot gone');
});

test('stopTask ends at SIGTERM when the process exits in time', async () => {
  const id = `polite-${process.pid}`;
  ctrRun(id, ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
  const phases: string[] = [];
  const stopped = await stopTask(c, ns, id, 10_000, (p) => phases.push(p));
  assert.deepEqual(phases, ['sigterm', 'stopped']);
  assert.equal(stopped.exitStatus, 0);
  assert.equal(ctrTasks(ns).get(id)?.status, 'STOPPED');
  await deleteContainer(c, ns, id);
  assert.ok(!ctrSnapshotKeys(ns).includes(id));
});

test('killTask signals, waitTask reports the exit, deleteTask removes the task', async () => {
  const id = `kill-${process.pid}`;
  ctrRun(id, ['sleep', '600']);
  await assert.rejects(waitTask(c, ns, id, 200), (e: unknown) => e instanceof UndockError && e.kind === 'deadline');
  const exited = waitTask(c, ns, id, 10_000);
  await killTask(c, ns, id, os.constants.signals.SIGKILL);
  const exit = await exited;
  assert.equal(exit.exitStatus, 137);
  assert.ok(exit.exitedAt instanceof Date);
  const gone = await deleteTask(c, ns, id);
  assert.equal(gone.exitStatus, 137);
  assert.ok(!ctrTasks(ns).has(id));
  assert.equal(await getTask(c, ns, id), undefined);
  // A container without a task deletes too. Without removeSnapshot undock leaves the snapshot to
  // containerd, whose garbage collector takes it once no container refers to it.
  await deleteContainer(c, ns, id, {removeSnapshot: false});
  assert.ok(!ctr(ns, 'containers', 'ls', '-q').split('\n').includes(id));
  await eventually('containerd to collect the snapshot', () => !ctrSnapshotKeys(ns).includes(id) || undefined);
});

test('deleteContainer kills a running (even paused) task first', async () => {
  const id = `doomed-${process.pid}`;
  ctrRun(id, ['sleep', '600']);
  await pauseTask(c, ns, id);
  await deleteContainer(c, ns, id);
  assert.ok(!ctr(ns, 'containers', 'ls', '-q').split('\n').includes(id));
  assert.ok(!ctrTasks(ns).has(id));
  assert.ok(!ctrSnapshotKeys(ns).includes(id));
});

test('startTask brings up a container that never had a task, logging to its undock/log-uri file', async () => {
  // Made as the sandbox makes "unstarted": ctr run without output, then the task deleted.
  const id = `fresh-${process.pid}`;
  ctrRun(id, ['sh', '-c', 'echo "hello from $(hostname)"; exec sleep 600'], {nullIo: true});
  ctr(ns, 'tasks', 'kill', '-s', 'SIGKILL', id);
  await waitTask(c, ns, id, 10_000);
  ctr(ns, 'tasks', 'rm', id);
  assert.equal(await getTask(c, ns, id), undefined);
  assert.ok(!fs.existsSync(logPath(id)), 'nothing logged yet');

  const task = await startTask(c, ns, id);
  assert.equal(task.status, 'running');
  assert.ok(task.pid > 0);
  assert.equal(task.stdout, `file://${logPath(id)}`);
  assert.deepEqual(ctrTasks(ns).get(id), {pid: task.pid, status: 'RUNNING'});
  // The container's runc options (its runc root) were honoured.
  assert.ok(fs.existsSync(path.join(env.sandbox, 'runc', ns, id)), 'runc state under the sandbox');
  await eventually('the output in the log file', () => (fs.existsSync(logPath(id)) && /hello from/.test(fs.readFileSync(logPath(id), 'utf8'))) || undefined);

  await assert.rejects(startTask(c, ns, id), (e: unknown) => e instanceof UndockError && e.kind === 'invalid' && /already has a running task/.test(e.message));
  await deleteContainer(c, ns, id);
  assert.ok(!ctrSnapshotKeys(ns).includes(id));
});

test('the writes are refused under --readonly, and nothing changes', async () => {
  const ro = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints, readonly: true}, {}));
  try {
    const isReadonly = (e: unknown) => e instanceof UndockError && e.kind === 'readonly';
    await assert.rejects(stopTask(ro.containerd, 'default', 'web', 1_000), isReadonly);
    await assert.rejects(deleteContainer(ro.containerd, 'default', 'web'), isReadonly);
    await assert.rejects(startTask(ro.containerd, 'default', 'unstarted'), isReadonly);
    assert.equal(ctrTasks('default').get('web')?.status, 'RUNNING');
    assert.equal(await getTask(c, 'default', 'unstarted'), undefined);
    assert.ok((await listTasks(ro.containerd, 'default')).length > 0, 'reads still work');
  } finally {
    ro.close();
  }
});

test('a relist keeps the row objects of containers that did not change, and remakes one whose labels did (as ctr shows them)', async () => {
  const scope = {namespace: ns, allNamespaces: false, params: {}};
  for (const id of ['kept-a', 'kept-b']) ctr(ns, 'containers', 'create', '--snapshotter', snapshotter, '--label', `nerdctl/name=${id}`, busybox, id);
  try {
    const first = await loadContainers(ctx, scope);
    const byId = (rows: ContainerRow[]) => new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual([...byId(first).keys()].filter((id) => id.startsWith('kept-')).sort(), ['kept-a', 'kept-b']);
    const again = byId(await loadContainers(ctx, scope));
    for (const r of first) assert.equal(again.get(r.id), r, `${r.id}: the same object when nothing changed`);
    ctr(ns, 'containers', 'label', 'kept-a', 'team=infra');
    const info = JSON.parse(ctr(ns, 'containers', 'info', 'kept-a')) as {Labels: Record<string, string>};
    assert.equal(info.Labels.team, 'infra', 'ctr: the label is set');
    const relabelled = byId(await loadContainers(ctx, scope));
    assert.notEqual(relabelled.get('kept-a'), byId(first).get('kept-a'), 'the relabelled container is a new row');
    assert.deepEqual(relabelled.get('kept-a')!.labels, info.Labels, 'with the labels ctr shows');
    assert.equal(relabelled.get('kept-b'), byId(first).get('kept-b'), 'the other is still the same object');
    assert.ok(ctx.memo.has(`rows:${ns}`));
    await loadContainers(ctx, {namespace: 'default', allNamespaces: false, params: {}});
    assert.ok(!ctx.memo.has(`rows:${ns}`) && ctx.memo.has('rows:default'), 'the rows of a namespace no longer listed are not kept');
  } finally {
    for (const id of ['kept-a', 'kept-b']) ctr(ns, 'containers', 'rm', id);
  }
});
