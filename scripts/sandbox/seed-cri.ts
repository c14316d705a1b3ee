// Seed the sandbox's CRI (containerd namespace k8s.io) with three pods, the way
// kubelet would create them: RunPodSandbox, CreateContainer, StartContainer.
//
//   CONTAINER_RUNTIME_ENDPOINT=unix://$SB/c.sock UNDOCK_SANDBOX=$SB npx tsx scripts/sandbox/seed-cri.ts
//
// Idempotent: pods it made before (same names, or label undock.dev/seed=true)
// are stopped and removed first, together with their log folders.
// Pods (seed-cluster.ts, with the uids their API objects have): default/nginx-7d9f
// (app=nginx), kube-system/coredns-5d78 (k8s-app=kube-dns), each running one busybox
// container logging a timestamped line every 2 s to $SB/pods/<pod uid>/<container>/0.log
// (CRI log format); and default/stale-5c8d, whose API object is gone (the orphan :drift shows).
import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {IMAGE, orphanPod, runningPods, type SeedPod} from './seed-cluster.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sb = process.env.UNDOCK_SANDBOX;
const endpoint = process.env.CONTAINER_RUNTIME_ENDPOINT ?? (sb ? `unix://${sb}/c.sock` : '');
if (!sb || !endpoint) {
  console.error('seed-cri: set UNDOCK_SANDBOX and CONTAINER_RUNTIME_ENDPOINT (eval "$(npm run -s sandbox -- env)")');
  process.exit(1);
}
const cgroupRoot = process.env.UNDOCK_CGROUP_PARENT ?? `/undock-${path.basename(sb).replace(/^undock-/, '').slice(0, 16)}`;
const SEED_LABEL = 'undock.dev/seed';

const def = protoLoader.loadSync('cri/runtime/v1/api.proto', {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
  includeDirs: [path.join(repo, 'proto')],
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const pkg = grpc.loadPackageDefinition(def) as any;
const client = new pkg.runtime.v1.RuntimeService(endpoint, grpc.credentials.createInsecure(), {
  'grpc.max_receive_message_length': 16 << 20,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function call<T = any>(method: string, req: object, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](req, { deadline: Date.now() + timeoutMs }, (err: grpc.ServiceError | null, res: T) => {
      if (err) reject(new Error(`${method}: ${err.details || err.message}`));
      else resolve(res);
    });
  });
}

type PodDef = SeedPod;
// The node's pods as the API has them (seed-cluster.ts), plus one whose API object is gone.
const pods: PodDef[] = [...runningPods, orphanPod];

// CRI removes the containers' cgroups but, like kubelet expects, not the pod's own
function removePodCgroup(uid: string) {
  let controllers: string[] = [];
  try { controllers = readdirSync('/sys/fs/cgroup'); } catch { return; }
  for (const dir of [...controllers.map((c) => path.join('/sys/fs/cgroup', c)), '/sys/fs/cgroup']) {
    try { rmdirSync(path.join(dir, cgroupRoot, `pod${uid}`)); } catch { /* absent or busy */ }
  }
}

async function removeOld() {
  const { items } = await call('ListPodSandbox', {});
  const ours = (items ?? []).filter(
    (p: any) => p.labels?.[SEED_LABEL] === 'true' || pods.some((d) => d.name === p.metadata?.name && d.namespace === p.metadata?.namespace),
  );
  await Promise.all(ours.map(async (p: any) => {
    await call('StopPodSandbox', { pod_sandbox_id: p.id }).catch((e) => console.error(`  warning: ${e.message}`));
    await call('RemovePodSandbox', { pod_sandbox_id: p.id });
    if (p.metadata?.uid) {
      rmSync(path.join(sb!, 'pods', p.metadata.uid), { recursive: true, force: true });
      removePodCgroup(p.metadata.uid);
    }
  }));
  return ours.length;
}

async function createPod(d: PodDef) {
  // The uid the API object has (seed-etcd.ts writes it from the same file).
  const uid = d.uid;
  const logDir = path.join(sb!, 'pods', uid);
  mkdirSync(path.join(logDir, d.container), { recursive: true });
  const nsOpts = { network: 'POD', pid: 'CONTAINER', ipc: 'POD' };
  const sandboxConfig = {
    metadata: { name: d.name, uid, namespace: d.namespace, attempt: 0 },
    hostname: d.name,
    log_directory: logDir,
    dns_config: { servers: ['10.96.0.10'], searches: [`${d.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] },
    port_mappings: [],
    labels: {
      ...d.labels,
      'io.kubernetes.pod.name': d.name, 'io.kubernetes.pod.namespace': d.namespace, 'io.kubernetes.pod.uid': uid,
      [SEED_LABEL]: 'true',
    },
    annotations: { 'kubernetes.io/config.source': 'api', 'kubernetes.io/config.seen': new Date().toISOString() },
    linux: {
      // a cgroup parent makes ListPodSandboxStats work; removed by `sandbox.sh down`
      cgroup_parent: `${cgroupRoot}/pod${uid}`,
      security_context: { namespace_options: nsOpts },
    },
  };
  const { pod_sandbox_id: podId } = await call('RunPodSandbox', { config: sandboxConfig, runtime_handler: '' }, 60_000);
  const { container_id: containerId } = await call('CreateContainer', {
    pod_sandbox_id: podId,
    sandbox_config: sandboxConfig,
    config: {
      metadata: { name: d.container, attempt: 0 },
      image: { image: IMAGE },
      command: ['sh', '-c', d.script],
      envs: [{ key: 'POD_NAME', value: d.name }, { key: 'POD_NAMESPACE', value: d.namespace }],
      labels: {
        'io.kubernetes.container.name': d.container, 'io.kubernetes.pod.name': d.name,
        'io.kubernetes.pod.namespace': d.namespace, 'io.kubernetes.pod.uid': uid,
      },
      annotations: { 'io.kubernetes.container.restartCount': '0', 'io.kubernetes.container.terminationMessagePath': '/dev/termination-log' },
      log_path: `${d.container}/0.log`,
      linux: { resources: {}, security_context: { namespace_options: nsOpts } },
    },
  });
  await call('StartContainer', { container_id: containerId });
  const st = await call('PodSandboxStatus', { pod_sandbox_id: podId });
  return { d, uid, podId, containerId, ip: st.status?.network?.ip ?? '', logDir };
}

async function main() {
  const t0 = Date.now();
  const v = await call('Version', { version: 'v1' }, 10_000);
  const removed = await removeOld();
  const made = await Promise.all(pods.map(createPod));
  console.log(`CRI ${v.runtime_name} ${v.runtime_version} (${v.runtime_api_version}), namespace k8s.io: removed ${removed} old pod(s), created ${made.length} (${Date.now() - t0} ms)`);
  for (const m of made) {
    console.log(`  pod ${m.d.namespace}/${m.d.name} uid=${m.uid} id=${m.podId.slice(0, 13)} ip=${m.ip}`);
    console.log(`    container ${m.d.container} id=${m.containerId.slice(0, 13)} image=${IMAGE} log=${path.join(m.logDir, m.d.container, '0.log')}`);
  }
}

main()
  .catch((err) => {
    console.error('seed-cri: failed:', err?.message ?? err);
    process.exitCode = 1;
  })
  .finally(() => client.close());
