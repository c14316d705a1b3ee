import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {CriClient} from '../../source/data/cri/client.js';
import {GrpcConnection} from '../../source/data/grpc/connection.js';
import {sandboxEnv} from './sandbox-env.js';

const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const IMAGE = 'docker.io/library/busybox:latest';
const LIFECYCLE = {deadlineMs: 60_000};
// PID 1 ignores SIGTERM without a handler; this one exits at once, so a stop is quick.
const DEFAULT_SCRIPT = 'trap "exit 0" TERM; echo started; while true; do sleep 1; done';

export interface TestPod {
  id: string;
  name: string;
  /** The Kubernetes namespace in the pod's metadata. */
  namespace: string;
  uid: string;
  containerId: string;
  containerName: string;
  logDir: string;
  cgroupParent: string;
  /** The pod's config, as CreateContainer needs it again for each container. */
  sandboxConfig: object;
}

export interface TestPodOptions {
  name: string;
  namespace?: string;
  container?: string;
  script?: string;
}

/** A CRI client on the sandbox's runtime endpoint: the "outside undock" side of a test. */
export function sandboxCri(): CriClient {
  const address = process.env.CONTAINER_RUNTIME_ENDPOINT || sandboxEnv().address;
  return new CriClient(new GrpcConnection({label: 'CRI runtime', address, howToChange: ''}));
}

/** Where this sandbox keeps pod cgroups: the seed's parent, read back from a seeded pod. */
export async function podCgroupRoot(cri: CriClient): Promise<string> {
  if (process.env.UNDOCK_CGROUP_PARENT) return process.env.UNDOCK_CGROUP_PARENT;
  for (const pod of await cri.listPodSandboxes({labelSelector: {'undock.dev/seed': 'true'}})) {
    const info = (await cri.podSandboxStatus(pod.id)).info.info as {config?: {linux?: {cgroup_parent?: string}}} | undefined;
    const parent = info?.config?.linux?.cgroup_parent;
    if (parent) return path.posix.dirname(parent);
  }
  throw new Error('no UNDOCK_CGROUP_PARENT and no seeded pod to learn the pod cgroup parent from: seed the sandbox');
}

/**
 * Creates a pod with one running busybox container the way kubelet does (and
 * scripts/sandbox/seed-cri.ts): RunPodSandbox, CreateContainer, StartContainer. A failure part
 * way removes what was made.
 */
export async function createTestPod(cri: CriClient, opts: TestPodOptions): Promise<TestPod> {
  const uid = randomUUID();
  const namespace = opts.namespace ?? 'undock-e2e';
  const containerName = opts.container ?? 'app';
  const logDir = path.join(sandboxEnv().sandbox, 'pods', uid);
  fs.mkdirSync(path.join(logDir, containerName), {recursive: true});
  const cgroupParent = `${await podCgroupRoot(cri)}/pod${uid}`;
  const nsOpts = {network: 'POD', pid: 'CONTAINER', ipc: 'POD'};
  const podLabels = {'io.kubernetes.pod.name': opts.name, 'io.kubernetes.pod.namespace': namespace, 'io.kubernetes.pod.uid': uid, 'undock.dev/e2e': 'true'};
  const sandboxConfig = {
    metadata: {name: opts.name, uid, namespace, attempt: 0},
    hostname: opts.name,
    log_directory: logDir,
    dns_config: {servers: [], searches: [], options: []},
    port_mappings: [],
    labels: podLabels,
    annotations: {'kubernetes.io/config.source': 'api'},
    linux: {cgroup_parent: cgroupParent, security_context: {namespace_options: nsOpts}},
  };
  const pod: TestPod = {id: '', name: opts.name, namespace, uid, containerId: '', containerName, logDir, cgroupParent, sandboxConfig};
  try {
    const run = await cri.conn.unary<object, {pod_sandbox_id: string}>(
      PROTO,
      RUNTIME,
      'RunPodSandbox',
      {config: sandboxConfig, runtime_handler: ''},
      LIFECYCLE,
    );
    pod.id = run.pod_sandbox_id;
    pod.containerId = await startPodContainer(cri, pod, {name: containerName, attempt: 0, script: opts.script});
    return pod;
  } catch (e) {
    await removeTestPod(cri, pod);
    throw e;
  }
}

/**
 * Creates and starts a container in the pod as kubelet does: attempt N of a name is its Nth
 * restart (kubelet's restartCount annotation says the same), logging to `<name>/<N>.log`.
 */
export async function startPodContainer(cri: CriClient, pod: TestPod, opts: {name: string; attempt: number; script?: string}): Promise<string> {
  fs.mkdirSync(path.join(pod.logDir, opts.name), {recursive: true});
  const config = pod.sandboxConfig as {labels: Record<string, string>; linux: {security_context: object}};
  const created = await cri.conn.unary<object, {container_id: string}>(
    PROTO,
    RUNTIME,
    'CreateContainer',
    {
      pod_sandbox_id: pod.id,
      sandbox_config: pod.sandboxConfig,
      config: {
        metadata: {name: opts.name, attempt: opts.attempt},
        image: {image: IMAGE},
        command: ['sh', '-c', opts.script ?? DEFAULT_SCRIPT],
        labels: {'io.kubernetes.container.name': opts.name, ...config.labels},
        annotations: {'io.kubernetes.container.restartCount': String(opts.attempt)},
        log_path: `${opts.name}/${opts.attempt}.log`,
        linux: {resources: {}, security_context: config.linux.security_context},
      },
    },
    LIFECYCLE,
  );
  await cri.conn.unary(PROTO, RUNTIME, 'StartContainer', {container_id: created.container_id}, LIFECYCLE);
  return created.container_id;
}

/** Waits until CRI reports the container exited; resolves with its status. */
export async function waitExited(cri: CriClient, id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const {status} = await cri.containerStatus(id, false);
    if (status.state === 'exited') return status;
    if (Date.now() > deadline) throw new Error(`container ${id} did not exit within ${timeoutMs} ms (${status.state})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function stopTestPod(cri: CriClient, pod: TestPod): Promise<void> {
  return cri.stopPodSandbox(pod.id);
}

/**
 * Stops and removes the pod if CRI still has it, then what CRI leaves behind: its log folder and
 * its own cgroup (kubelet removes that one, CRI does not). Safe to call twice.
 */
export async function removeTestPod(cri: CriClient, pod: TestPod): Promise<void> {
  if (pod.id && (await cri.listPodSandboxes({id: pod.id})).length > 0) {
    await cri.stopPodSandbox(pod.id);
    await cri.removePodSandbox(pod.id);
  }
  fs.rmSync(pod.logDir, {recursive: true, force: true});
  removeCgroups([pod.cgroupParent]);
}

/** Removes each cgroup folder (relative to a hierarchy's root) from every cgroup v1 hierarchy and the v2 root. */
export function removeCgroups(relative: string[]): void {
  if (relative.length === 0) return;
  let controllers: string[] = [];
  try {
    controllers = fs.readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c));
  } catch {
    return;
  }
  for (const dir of [...controllers, '/sys/fs/cgroup']) {
    for (const rel of relative) {
      try {
        fs.rmdirSync(path.join(dir, rel));
      } catch {
        // absent, or not a cgroup hierarchy
      }
    }
  }
}
