import assert from 'node:assert/strict';
import {randomBytes, randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {after, test} from 'node:test';
import {CriClient} from '../../source/data/cri/client.js';
import type {PodRecord} from '../../source/data/cri/pods.js';
import {UndockError} from '../../source/data/errors.js';
import {GrpcConnection} from '../../source/data/grpc/connection.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const conn = new GrpcConnection({label: 'CRI runtime', address: env.address, howToChange: ''});
const cri = new CriClient(conn);
const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const IMAGE = 'docker.io/library/busybox:latest';

const SEEDED = [
  {name: 'nginx-7d9f', namespace: 'default', container: 'nginx', label: ['app', 'nginx']},
  {name: 'coredns-5d78', namespace: 'kube-system', container: 'coredns', label: ['k8s-app', 'kube-dns']},
] as const;

/** Rows of a ctr table (`containers ls`, `tasks ls`) keyed by their first column. */
function ctrTable(...args: string[]): Map<string, string[]> {
  const lines = ctr('k8s.io', ...args).trim().split('\n').slice(1);
  return new Map(lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    return [cols[0]!, cols.slice(1)];
  }));
}

function sandboxSubnetPrefix(): string {
  const netEnv = fs.readFileSync(path.join(env.sandbox, 'net.env'), 'utf8');
  const subnet = /SUBNET=(\d+\.\d+\.\d+)\.0\/24/.exec(netEnv)?.[1];
  assert.ok(subnet, `a /24 SUBNET in ${env.sandbox}/net.env`);
  return `${subnet}.`;
}

async function seededPods(): Promise<Map<string, PodRecord>> {
  const pods = await cri.listPodSandboxes();
  const out = new Map<string, PodRecord>();
  for (const s of SEEDED) {
    const matching = pods.filter((p) => p.name === s.name && p.namespace === s.namespace && p.state === 'ready');
    assert.equal(matching.length, 1, `one ready ${s.namespace}/${s.name}`);
    out.set(s.name, matching[0]!);
  }
  return out;
}

test('seeded pods: names, namespaces, ready, an IP on the sandbox bridge, and the pause tasks ctr sees', async () => {
  const pods = await seededPods();
  const containers = ctrTable('containers', 'ls');
  const tasks = ctrTable('tasks', 'ls');
  const prefix = sandboxSubnetPrefix();
  for (const s of SEEDED) {
    const pod = pods.get(s.name)!;
    assert.match(pod.id, /^[0-9a-f]{64}$/);
    assert.equal(pod.labels[s.label[0]], s.label[1]);
    assert.equal(pod.labels['io.kubernetes.pod.uid'], pod.uid);
    assert.ok(pod.createdAt && Date.now() - pod.createdAt.getTime() < 24 * 3600_000, 'created recently');
    assert.equal(pod.attempt, 0);
    // A CRI pod is a native container running the pause image, with a running task.
    assert.deepEqual(containers.get(pod.id)?.slice(0, 1), ['registry.k8s.io/pause:3.6'], `ctr containers ls has pod ${s.name}`);
    assert.equal(tasks.get(pod.id)?.[1], 'RUNNING', `ctr tasks ls: pod ${s.name} running`);

    const {pod: detail, info} = await cri.podSandboxStatus(pod.id);
    assert.equal(detail.name, s.name);
    assert.equal(detail.state, 'ready');
    assert.ok(detail.ip?.startsWith(prefix), `pod ${s.name} IP ${detail.ip} is in ${prefix}0/24`);
    assert.equal(detail.network?.ip, detail.ip);
    assert.deepEqual(detail.additionalIps, []);
    assert.equal(detail.linux?.namespaceOptions?.network, 'POD');
    const verbose = info.info as {pid: number; image: string; config: {metadata: {name: string; namespace: string; uid: string}; hostname: string}};
    assert.equal(verbose.config.metadata.name, s.name, 'the verbose info carries the pod config');
    assert.equal(verbose.config.metadata.namespace, s.namespace);
    assert.equal(verbose.config.metadata.uid, pod.uid);
    assert.equal(verbose.config.hostname, s.name);
    assert.equal(verbose.image, 'registry.k8s.io/pause:3.6');
    assert.equal(String(verbose.pid), tasks.get(pod.id)?.[0], 'the pause PID is the task PID ctr shows');
  }
  const readyOnly = await cri.listPodSandboxes({state: 'ready'});
  assert.ok(readyOnly.every((p) => p.state === 'ready'));
  const byId = await cri.listPodSandboxes({id: pods.get('nginx-7d9f')!.id});
  assert.deepEqual(byId.map((p) => p.name), ['nginx-7d9f']);
  const byLabel = await cri.listPodSandboxes({labelSelector: {'k8s-app': 'kube-dns'}});
  assert.deepEqual(byLabel.map((p) => p.name), ['coredns-5d78']);
});

test('seeded containers: running, names, image, pod, and what ctr holds', async () => {
  const pods = await seededPods();
  const containers = ctrTable('containers', 'ls');
  const tasks = ctrTable('tasks', 'ls');
  for (const s of SEEDED) {
    const pod = pods.get(s.name)!;
    const list = await cri.listContainers({podSandboxId: pod.id});
    assert.equal(list.length, 1, `one container in ${s.name}`);
    const c = list[0]!;
    assert.equal(c.name, s.container);
    assert.equal(c.podSandboxId, pod.id);
    assert.equal(c.state, 'running');
    assert.equal(c.image, IMAGE);
    assert.match(c.imageRef, /^sha256:[0-9a-f]{64}$/);
    assert.equal(c.restarts, 0);
    assert.equal(c.labels['io.kubernetes.container.name'], s.container);
    assert.ok(c.createdAt && pod.createdAt && c.createdAt >= pod.createdAt);
    assert.deepEqual(containers.get(c.id)?.slice(0, 1), [IMAGE], `ctr containers ls has ${s.container} with its image`);
    assert.equal(tasks.get(c.id)?.[1], 'RUNNING', `ctr tasks ls: ${s.container} running`);

    const {status, info} = await cri.containerStatus(c.id);
    assert.equal(status.state, 'running');
    assert.equal(status.name, s.container);
    assert.equal(status.podSandboxId, pod.id);
    assert.equal(status.image, IMAGE);
    assert.ok(status.startedAt && status.createdAt && status.startedAt >= status.createdAt);
    assert.equal(status.finishedAt, undefined);
    assert.equal(status.logPath, path.join(env.sandbox, 'pods', pod.uid, s.container, '0.log'));
    assert.ok(fs.statSync(status.logPath).size > 0, 'the CRI log file is being written');
    assert.equal(String((info.info as {pid: number}).pid), tasks.get(c.id)?.[0], 'the container PID is the task PID ctr shows');
  }
  const running = await cri.listContainers({state: 'running'});
  assert.ok(running.every((c) => c.state === 'running'));
  const all = await cri.listContainers();
  const one = all.find((c) => c.name === 'nginx')!;
  assert.deepEqual((await cri.listContainers({id: one.id})).map((c) => c.id), [one.id]);
});

test('listContainerStats returns the seeded containers with CPU and memory', async () => {
  const running = (await cri.listContainers({state: 'running'})).filter((c) => SEEDED.some((s) => s.container === c.name));
  assert.equal(running.length, 2);
  const stats = await cri.listContainerStats();
  for (const c of running) {
    const s = stats.find((x) => x.id === c.id);
    assert.ok(s, `stats for ${c.name}`);
    assert.equal(s.name, c.name);
    assert.ok((s.cpu?.usageCoreNanoSeconds ?? 0) > 0, `${c.name} has used CPU`);
    assert.ok((s.memory?.workingSetBytes ?? 0) > 0, `${c.name} has a working set`);
    for (const ts of [s.cpu?.timestamp, s.memory?.timestamp]) {
      assert.ok(ts && Math.abs(Date.now() - ts.getTime()) < 60_000, 'stats timestamps are recent');
    }
    assert.ok(s.writableLayer?.mountpoint.startsWith(env.sandbox));
  }
  const one = await cri.listContainerStats({id: running[0]!.id});
  assert.deepEqual(one.map((s) => s.id), [running[0]!.id]);
});

test('runtimeStatus: runtime and network ready, and the CRI config with the sandbox image', async () => {
  const {conditions, info} = await cri.runtimeStatus();
  assert.deepEqual(
    conditions.map((c) => [c.type, c.status]).sort(),
    [['NetworkReady', true], ['RuntimeReady', true]],
  );
  assert.equal((info.config as {sandboxImage?: string}).sandboxImage, 'registry.k8s.io/pause:3.6');
  assert.equal((await cri.statusInfo()).golang, info.golang);
});

test('imageStatus: a present image with its verbose info, an absent one without an error', async () => {
  const present = await cri.imageStatus(IMAGE, true);
  assert.ok(present.image?.repoTags.includes(IMAGE));
  assert.ok((present.image?.size ?? 0) > 0);
  const spec = (present.info.info as {imageSpec?: {os?: string}} | undefined)?.imageSpec;
  assert.equal(spec?.os, 'linux');
  const absent = await cri.imageStatus(`docker.io/undock/not-here-${randomBytes(3).toString('hex')}:x`);
  assert.equal(absent.image, undefined);
});

// ---- our own pod: created the way kubelet (and scripts/sandbox/seed-cri.ts) does, then taken apart

const run = randomBytes(3).toString('hex');
const own = {podId: '', containerId: '', uid: randomUUID(), logDir: '', cgroupParent: ''};

after(async () => {
  if (own.podId) {
    await cri.stopPodSandbox(own.podId).catch(() => undefined);
    await cri.removePodSandbox(own.podId).catch(() => undefined);
  }
  if (own.logDir) fs.rmSync(own.logDir, {recursive: true, force: true});
  // CRI leaves a pod's own cgroup behind (kubelet removes it); so does the seed.
  if (own.cgroupParent) {
    for (const dir of [...fs.readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c)), '/sys/fs/cgroup']) {
      try {
        fs.rmdirSync(path.join(dir, own.cgroupParent));
      } catch {
        // absent, or not a cgroup hierarchy
      }
    }
  }
  conn.close();
});

async function createOwnPod(): Promise<void> {
  const name = `undock-test-${run}`;
  const namespace = 'undock-test';
  own.logDir = path.join(env.sandbox, 'pods', own.uid);
  fs.mkdirSync(path.join(own.logDir, 'app'), {recursive: true});
  // The seeded pods' cgroup parent tells where this sandbox keeps pod cgroups.
  const seeded = (await seededPods()).get('nginx-7d9f')!;
  const seededParent = ((await cri.podSandboxStatus(seeded.id)).info.info as {config: {linux: {cgroup_parent: string}}}).config.linux
    .cgroup_parent;
  own.cgroupParent = `${path.posix.dirname(seededParent)}/pod${own.uid}`;
  const nsOpts = {network: 'POD', pid: 'CONTAINER', ipc: 'POD'};
  const sandboxConfig = {
    metadata: {name, uid: own.uid, namespace, attempt: 0},
    hostname: name,
    log_directory: own.logDir,
    dns_config: {servers: [], searches: [], options: []},
    port_mappings: [],
    labels: {'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': own.uid, 'undock.dev/test': run},
    annotations: {'kubernetes.io/config.source': 'api'},
    linux: {cgroup_parent: own.cgroupParent, security_context: {namespace_options: nsOpts}},
  };
  const pod = await conn.unary<object, {pod_sandbox_id: string}>(
    PROTO,
    RUNTIME,
    'RunPodSandbox',
    {config: sandboxConfig, runtime_handler: ''},
    {deadlineMs: 60_000},
  );
  own.podId = pod.pod_sandbox_id;
  const container = await conn.unary<object, {container_id: string}>(
    PROTO,
    RUNTIME,
    'CreateContainer',
    {
      pod_sandbox_id: own.podId,
      sandbox_config: sandboxConfig,
      config: {
        metadata: {name: 'app', attempt: 0},
        image: {image: IMAGE},
        // PID 1 ignores SIGTERM without a handler; this one exits at once so the stop is quick.
        command: ['sh', '-c', 'trap "exit 0" TERM; echo started; while true; do sleep 1; done'],
        labels: {'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.uid': own.uid},
        annotations: {'io.kubernetes.container.restartCount': '2'},
        log_path: 'app/0.log',
        linux: {resources: {}, security_context: {namespace_options: nsOpts}},
      },
    },
    {deadlineMs: 60_000},
  );
  own.containerId = container.container_id;
  await conn.unary(PROTO, RUNTIME, 'StartContainer', {container_id: own.containerId}, {deadlineMs: 60_000});
}

test('our own pod and container: stop, remove, stop the pod, remove the pod, each checked against ctr', async () => {
  await createOwnPod();
  const [pod] = await cri.listPodSandboxes({id: own.podId});
  assert.equal(pod?.namespace, 'undock-test');
  assert.equal(pod?.state, 'ready');
  const [c] = await cri.listContainers({id: own.containerId});
  assert.equal(c?.state, 'running');
  assert.equal(c?.restarts, 2, 'restarts come from kubelet\'s restartCount annotation');
  assert.equal(ctrTable('tasks', 'ls').get(own.containerId)?.[1], 'RUNNING');

  await cri.stopContainer(own.containerId, 10);
  const {status} = await cri.containerStatus(own.containerId);
  assert.equal(status.state, 'exited');
  assert.equal(status.exitCode, 0, 'the TERM trap exited 0');
  assert.ok(status.finishedAt && status.startedAt && status.finishedAt >= status.startedAt);
  assert.equal(status.reason, 'Completed');
  assert.notEqual(ctrTable('tasks', 'ls').get(own.containerId)?.[1], 'RUNNING', 'no running task in ctr');
  assert.match(fs.readFileSync(status.logPath, 'utf8'), /^\S+ stdout F started$/m);

  await cri.removeContainer(own.containerId);
  assert.ok(!ctrTable('containers', 'ls').has(own.containerId), 'gone from ctr containers ls');
  assert.deepEqual(await cri.listContainers({id: own.containerId}), []);
  await assert.rejects(cri.containerStatus(own.containerId), (e: unknown) => e instanceof UndockError && e.kind === 'not-found');

  await cri.stopPodSandbox(own.podId);
  const stopped = await cri.podSandboxStatus(own.podId);
  assert.equal(stopped.pod.state, 'notready');
  assert.notEqual(ctrTable('tasks', 'ls').get(own.podId)?.[1], 'RUNNING', 'the pause task is not running');

  await cri.removePodSandbox(own.podId);
  assert.deepEqual(await cri.listPodSandboxes({id: own.podId}), []);
  assert.ok(!ctrTable('containers', 'ls').has(own.podId), 'the pod is gone from ctr containers ls');
  own.podId = '';
});

test('--readonly refuses stopContainer before it is sent; the container keeps running', async () => {
  const ro = new GrpcConnection({label: 'CRI runtime', address: env.address, howToChange: ''}, {readonly: true});
  try {
    const [nginx] = (await cri.listContainers({state: 'running'})).filter((c) => c.name === 'nginx');
    assert.ok(nginx);
    await assert.rejects(new CriClient(ro).stopContainer(nginx.id, 0), (e: unknown) => e instanceof UndockError && e.kind === 'readonly');
    await assert.rejects(new CriClient(ro).removePodSandbox(nginx.podSandboxId), (e: unknown) => e instanceof UndockError && e.kind === 'readonly');
    assert.equal(ctrTable('tasks', 'ls').get(nginx.id)?.[1], 'RUNNING');
  } finally {
    ro.close();
  }
});
