// Every figure undock shows, against the CRI/containerd API's own answer on the same objects.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {getTask, listTasks} from '../../source/data/containerd/tasks.js';
import {EVENTS_MEMO, type EventRecord} from '../../source/resources/event-memo.js';
import {statusText} from '../../source/resources/containers/columns.js';
import {loadContainers} from '../../source/resources/containers/source.js';
import {loadImages} from '../../source/resources/images/source.js';
import {podContainerState} from '../../source/resources/pod-containers/index.js';
import {loadPodContainers} from '../../source/resources/pod-containers/source.js';
import {loadPods} from '../../source/resources/pods/source.js';
import {EventFeed} from '../../source/store/event-feed.js';
import {ctr, makeTestNamespace, removeTestNamespace} from '../helpers/ctr.js';
import {createTestPod, removeTestPod, sandboxCri, startPodContainer, stopTestPod, waitExited, type TestPod} from '../helpers/cri-pod.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const cri = sandboxCri();
const run = randomBytes(3).toString('hex');
const pods: TestPod[] = [];
const BUSYBOX = 'docker.io/library/busybox:latest';
const scope = {namespace: 'k8s.io', allNamespaces: false, params: {}};

after(async () => {
  for (const pod of pods) await removeTestPod(cri, pod).catch(() => undefined);
  cri.conn.close();
  ctx.close();
});

async function podRowOf(pod: TestPod) {
  const row = (await loadPods(ctx)).find((r) => r.id === pod.id);
  assert.ok(row, `undock lists pod ${pod.name}`);
  return row;
}

test('a container restarted twice: RESTARTS 2, READY counts names (latest attempt each), as CRI ListContainers has them', async () => {
  // Attempt 0 of app exits; the kubelet creates attempt 1, which exits too, then attempt 2, which runs.
  const pod = await createTestPod(cri, {name: `restarts-${run}`, container: 'app', script: 'echo attempt 0; exit 1'});
  pods.push(pod);
  await waitExited(cri, pod.containerId);
  const second = await startPodContainer(cri, pod, {name: 'app', attempt: 1, script: 'echo attempt 1; exit 1'});
  await waitExited(cri, second);
  await startPodContainer(cri, pod, {name: 'app', attempt: 2});
  const side = await startPodContainer(cri, pod, {name: 'side', attempt: 0, script: 'exit 0'});
  await waitExited(cri, side);

  // CRI's own answer: four records, two names; per name the latest attempt.
  const records = await cri.listContainers({podSandboxId: pod.id});
  assert.equal(records.length, 4);
  const latest = new Map<string, (typeof records)[number]>();
  for (const c of records) if ((latest.get(c.name)?.attempt ?? -1) < c.attempt) latest.set(c.name, c);
  const restarts = [...latest.values()].reduce((n, c) => n + c.attempt, 0);
  const ready = [...latest.values()].filter((c) => c.state === 'running').length;
  assert.deepEqual([restarts, ready, latest.size], [2, 1, 2], 'what crictl and kubectl count');

  const row = await podRowOf(pod);
  assert.equal(row.restarts, restarts, 'RESTARTS');
  assert.equal(`${row.ready}/${row.total}`, `${ready}/${latest.size}`, 'READY');
  assert.deepEqual(row.containers, ['app', 'side']);

  // The pod's containers: every attempt, exited ones with the code, reason and finish time CRI gives.
  const now = Date.now();
  const rows = await loadPodContainers(ctx, {...scope, params: {podId: pod.id}});
  assert.deepEqual(rows.map((r) => `${r.name}/${r.attempt}`).sort(), ['app/0', 'app/1', 'app/2', 'side/0']);
  for (const r of rows.filter((x) => x.state === 'exited')) {
    const {status} = await cri.containerStatus(r.id, false);
    assert.equal(r.exitCode, status.exitCode, `${r.name}/${r.attempt} exit code`);
    assert.equal(r.reason, status.reason || undefined, `${r.name}/${r.attempt} reason`);
    assert.equal(r.finishedAt?.getTime(), status.finishedAt?.getTime(), `${r.name}/${r.attempt} finished`);
    assert.match(podContainerState(r, now), new RegExp(`^Exited \\(${status.exitCode}\\) ${status.reason} \\d+s ago$`));
  }
  assert.equal(podContainerState(rows.find((r) => r.attempt === 2)!, now), 'running');
});

test('a pod shows its IP only while CRI says its sandbox is ready', async () => {
  const pod = await createTestPod(cri, {name: `ip-${run}`});
  pods.push(pod);
  const ready = await podRowOf(pod);
  const status = await cri.podSandboxStatus(pod.id, false);
  assert.equal(status.pod.state, 'ready');
  assert.ok(status.pod.ip, 'CRI gives a ready sandbox an IP');
  assert.deepEqual([ready.state, ready.ip], ['Ready', status.pod.ip]);

  await stopTestPod(cri, pod);
  const stopped = await podRowOf(pod);
  assert.equal((await cri.podSandboxStatus(pod.id, false)).pod.state, 'notready');
  assert.deepEqual([stopped.state, stopped.ip, stopped.ready], ['NotReady', '', 0], 'a stopped pod has no IP');
});

test('an image with two tags in k8s.io is one row with both, as CRI ListImages has it', async () => {
  const tag = `docker.io/library/busybox:figures-${run}`;
  ctr('k8s.io', 'images', 'tag', BUSYBOX, tag);
  try {
    // CRI learns the new name from containerd's image event.
    let image;
    for (let i = 0; i < 50 && !image; i++) {
      image = (await cri.listImages()).find((x) => x.repo_tags.includes(tag));
      if (!image) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(image, 'CRI lists the new tag');
    assert.ok(image.repo_tags.includes(BUSYBOX), 'on the same image as busybox:latest');
    const rows = (await loadImages(ctx, 'k8s.io')).filter((r) => r.tags.includes(tag) || r.tags.includes(BUSYBOX));
    assert.equal(rows.length, 1, 'one row for the image');
    const [row] = rows;
    assert.equal(row!.imageId, image.id);
    assert.deepEqual(row!.tags, image.repo_tags);
    assert.equal(row!.tag, image.repo_tags.map((t) => t.slice(t.lastIndexOf(':') + 1)).join(','));
    assert.equal(row!.size, Number(image.size));
    assert.ok(!(await loadImages(ctx, 'k8s.io')).some((r) => r.ref === image.id), `no ${image.id.slice(0, 19)}… <none> row for a tagged image`);
  } finally {
    ctr('k8s.io', 'images', 'rm', tag);
  }
});

test('a container whose task was removed says no task, with the last exit the event feed saw', async () => {
  const ns = `undock-figures-${process.pid}`;
  const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
  const cgroupParent = makeTestNamespace(ns, BUSYBOX, snapshotter);
  const feed = new EventFeed(ctx.containerd, {onEvent: () => {}, onConnected: () => {}, onLost: () => {}});
  ctx.memo.set(EVENTS_MEMO, (): EventRecord => ({events: feed.store.getState().events}));
  feed.start();
  try {
    await new Promise((r) => setTimeout(r, 500));
    const id = `gone-${run}`;
    const where = ['--snapshotter', snapshotter, '--runc-root', `${env.sandbox}/runc`, '--cgroup', `${cgroupParent}/${ns}/${id}`];
    ctr(ns, 'run', '-d', '--net-host', '--null-io', ...where, BUSYBOX, id, 'sh', '-c', 'exit 3');
    let task;
    for (let i = 0; i < 50 && task?.status !== 'stopped'; i++) {
      task = await getTask(ctx.containerd, ns, id);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(task?.exitStatus, 3, 'containerd: the task exited 3');
    const stopped = (await loadContainers(ctx, {namespace: ns, allNamespaces: false, params: {}})).find((r) => r.id === id)!;
    assert.match(statusText(stopped, Date.now()), /^Exited \(3\) \d+s ago$/);

    ctr(ns, 'tasks', 'rm', id);
    assert.equal(await getTask(ctx.containerd, ns, id), undefined, 'containerd: Tasks.Get finds no task');
    assert.ok(!(await listTasks(ctx.containerd, ns)).some((t) => t.id === id));
    for (let i = 0; i < 50 && !feed.store.getState().events.some((e) => e.topic === '/tasks/delete'); i++) await new Promise((r) => setTimeout(r, 50));
    const row = (await loadContainers(ctx, {namespace: ns, allNamespaces: false, params: {}})).find((r) => r.id === id)!;
    assert.equal(row.status, 'no task');
    assert.match(statusText(row, Date.now()), /^no task \(exited 3 \d+s ago\)$/);
    // Without the feed's memory containerd 1.6 keeps no trace of the exit: the container record alone.
    const info = JSON.parse(ctr(ns, 'containers', 'info', id)) as {Labels: Record<string, string> | null; Extensions: unknown};
    assert.ok(!Object.keys(info.Labels ?? {}).some((k) => /exit/i.test(k)) && !info.Extensions, 'no exit in labels or extensions');
    ctx.memo.delete(EVENTS_MEMO);
    assert.equal(statusText((await loadContainers(ctx, {namespace: ns, allNamespaces: false, params: {}})).find((r) => r.id === id)!, Date.now()), 'no task');
  } finally {
    feed.stop();
    ctx.memo.delete(EVENTS_MEMO);
    removeTestNamespace(ns, BUSYBOX, cgroupParent);
  }
});
