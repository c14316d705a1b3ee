// Seed the sandbox's etcd with a keyspace shaped like a Kubernetes cluster's.
//
//   ETCDCTL_ENDPOINTS=http://127.0.0.1:PORT npx tsx scripts/sandbox/seed-etcd.ts
//
// Idempotent: it deletes what it wrote before (/registry/, /undock/, config/,
// and the lease of its one leased key), then writes everything again in batched
// transactions. Keys are stable between runs (seeded names and uids); the
// timestamps inside values follow the clock.
//
// Contents: ~350 keys: namespaces, pods (JSON), services, endpoints,
// endpointslices, configmaps, secrets, serviceaccounts, deployments,
// replicasets, daemonsets, statefulsets, jobs, node (minions), leases, events,
// RBAC, apiservices, flowcontrol, ... plus
//   - /registry/pods/default/pi-dqtsw: a real kube-apiserver protobuf value
//     (../shared/testdata/k8s/pod.storage.bin, written as-is; skipped if missing)
//   - /registry/binary/blob: 512 pseudo-random bytes (not UTF-8)
//   - /registry/masterleases/10.0.0.10: the one key attached to a lease (TTL 3600 s)
//   - non-Kubernetes keys: /undock/hello = world, /undock/empty = "", config/feature-flags, config/app.yaml
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3, type IRequestOp } from 'etcd3';
import { encodeK8sObject } from '../../source/data/k8s/object.js';
import { IMAGE, jobPod, missingPod, NODE_IP as WORKER_IP, NODE_NAME, NODE_UID, runningPods, workloads } from './seed-cluster.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const endpoints = (process.env.ETCDCTL_ENDPOINTS ?? process.env.UNDOCK_ETCD_ENDPOINTS ?? '').split(',').filter(Boolean);
if (endpoints.length === 0) {
  console.error('seed-etcd: set ETCDCTL_ENDPOINTS (eval "$(npm run -s sandbox -- env)")');
  process.exit(1);
}

// ---------------------------------------------------------------- helpers --
let seed = 0x5eed1234;
function rand(): number { // mulberry32: stable keys between runs
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
const HEX = '0123456789abcdef';
const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(rand() * chars.length)]).join('');
const uid = () => `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-${'89ab'[Math.floor(rand() * 4)]}${pick(HEX, 3)}-${pick(HEX, 12)}`;
const NOW = Date.now();
const ago = (seconds: number) => new Date(Math.floor((NOW - seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

const kv: Array<[string, Buffer]> = [];
const encoded = new Map<string, number>();
const asJson = new Map<string, string>();
/**
 * An object is stored as kube-apiserver stores it: `k8s\0` protobuf through undock's own encoder
 * for a kind its protos have; JSON otherwise (as kube-apiserver does for CRDs), and the summary
 * says which kinds and why.
 */
const put = (key: string, value: unknown) => {
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    kv.push([key, Buffer.isBuffer(value) ? value : Buffer.from(value)]);
    return;
  }
  const obj = value as Record<string, unknown>;
  const kind = `${obj.apiVersion}/${obj.kind}`;
  if (typeof obj.kind === 'string' && typeof obj.apiVersion === 'string' && obj.kind !== 'RangeAllocation') {
    try {
      kv.push([key, encodeK8sObject(JSON.parse(JSON.stringify(obj)))]);
      encoded.set(kind, (encoded.get(kind) ?? 0) + 1);
      return;
    } catch (e) {
      if (!asJson.has(kind)) asJson.set(kind, e instanceof Error ? e.message : String(e));
    }
  }
  kv.push([key, Buffer.from(JSON.stringify(value))]);
};

const NODE = 'node-1';
const NODE_IP = '192.168.56.10';
// The node this sandbox's runtime is (seed-cluster.ts): node-1 is the control plane, elsewhere.
const WORKER = { name: NODE_NAME, uid: NODE_UID, ip: WORKER_IP };
const CLUSTER_AGE = 86400 * 41; // the "cluster" is 41 days old
const nsUids: Record<string, string> = {};

// ------------------------------------------------------------- namespaces --
for (const [ns, age] of [['default', CLUSTER_AGE], ['kube-system', CLUSTER_AGE], ['kube-public', CLUSTER_AGE], ['kube-node-lease', CLUSTER_AGE], ['monitoring', 86400 * 12]] as const) {
  nsUids[ns] = uid();
  put(`/registry/namespaces/${ns}`, {
    kind: 'Namespace', apiVersion: 'v1',
    metadata: { name: ns, uid: nsUids[ns], creationTimestamp: ago(age), labels: { 'kubernetes.io/metadata.name': ns } },
    spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
  });
}

// ------------------------------------------------------------------- node --
const nodeUid = uid();
put(`/registry/minions/${NODE}`, {
  kind: 'Node', apiVersion: 'v1',
  metadata: {
    name: NODE, uid: nodeUid, creationTimestamp: ago(CLUSTER_AGE),
    labels: {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '',
      'node.kubernetes.io/exclude-from-external-load-balancers': '',
    },
    annotations: {
      'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
      'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    },
  },
  spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
  status: {
    capacity: { cpu: '2', 'ephemeral-storage': '263174212Ki', 'hugepages-2Mi': '0', memory: '4026500Ki', pods: '110' },
    allocatable: { cpu: '2', 'ephemeral-storage': '242541353378', 'hugepages-2Mi': '0', memory: '3924100Ki', pods: '110' },
    conditions: [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(CLUSTER_AGE), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
      { type: 'DiskPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(CLUSTER_AGE), reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
      { type: 'PIDPressure', status: 'False', lastHeartbeatTime: ago(20), lastTransitionTime: ago(CLUSTER_AGE), reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
      { type: 'Ready', status: 'True', lastHeartbeatTime: ago(20), lastTransitionTime: ago(CLUSTER_AGE - 60), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    addresses: [{ type: 'InternalIP', address: NODE_IP }, { type: 'Hostname', address: NODE }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: pick(HEX, 32), systemUUID: uid(), bootID: uid(), kernelVersion: '6.1.0-18-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.6.20',
      kubeletVersion: 'v1.28.4', kubeProxyVersion: 'v1.28.4', operatingSystem: 'linux', architecture: 'amd64',
    },
    images: [
      { names: ['registry.k8s.io/etcd@sha256:' + pick(HEX, 64), 'registry.k8s.io/etcd:3.5.9-0'], sizeBytes: 102894559 },
      { names: ['registry.k8s.io/kube-apiserver:v1.28.4'], sizeBytes: 34683820 },
      { names: ['registry.k8s.io/pause:3.9'], sizeBytes: 321520 },
    ],
  },
});
put(`/registry/leases/kube-node-lease/${NODE}`, {
  kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
  metadata: { name: NODE, namespace: 'kube-node-lease', uid: uid(), creationTimestamp: ago(CLUSTER_AGE), ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: NODE, uid: nodeUid }] },
  spec: { holderIdentity: NODE, leaseDurationSeconds: 40, renewTime: new Date(NOW - 4000).toISOString().replace('Z', '000Z') },
});
for (const holder of ['kube-controller-manager', 'kube-scheduler']) {
  put(`/registry/leases/kube-system/${holder}`, {
    kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
    metadata: { name: holder, namespace: 'kube-system', uid: uid(), creationTimestamp: ago(CLUSTER_AGE) },
    spec: { holderIdentity: `${NODE}_${uid()}`, leaseDurationSeconds: 15, acquireTime: ago(3600 * 7), renewTime: new Date(NOW - 1500).toISOString().replace('Z', '000Z'), leaseTransitions: 3 },
  });
}
put(`/registry/leases/kube-system/apiserver-${pick(ALNUM, 26)}`, {
  kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
  metadata: { name: 'apiserver', namespace: 'kube-system', uid: uid(), creationTimestamp: ago(CLUSTER_AGE), labels: { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': NODE } },
  spec: { holderIdentity: `apiserver-${uid()}`, leaseDurationSeconds: 3600, renewTime: new Date(NOW - 8000).toISOString().replace('Z', '000Z') },
});

// ------------------------------------------------------------------- pods --
type Ctr = { name: string; image: string; port?: number; args?: string[] };
type PodSpec = {
  ns: string; name: string; labels: Record<string, string>; containers: Ctr[]; age: number;
  owner?: { kind: string; name: string; uid: string; apiVersion: string };
  phase?: 'Running' | 'Succeeded' | 'Pending' | 'Failed'; crash?: boolean; hostNetwork?: boolean;
  priorityClassName?: string; serviceAccount?: string; restarts?: number;
  /** Fixed by seed-cluster.ts for the pods of this sandbox's node (default: random, on node-1). */
  uid?: string; node?: string; ip?: string;
};
let podIpNext = 2;
const podIps: Record<string, string> = {}; // ns/name -> ip
const podsByLabel: Array<{ ns: string; name: string; labels: Record<string, string>; ip: string; uid: string; node?: string }> = [];
const events: Array<{ ns: string; kind: string; name: string; uid: string; reason: string; message: string; type: string; age: number; count?: number; component?: string }> = [];

function podObject(p: PodSpec) {
  const podUid = p.uid ?? uid();
  const node = p.node ?? NODE;
  const ip = p.ip ?? (p.hostNetwork ? NODE_IP : `10.244.0.${podIpNext++}`);
  const phase = p.phase ?? 'Running';
  podIps[`${p.ns}/${p.name}`] = ip;
  const running = phase === 'Running' && !p.crash;
  podsByLabel.push({ ns: p.ns, name: p.name, labels: p.labels, ip, uid: podUid, node });
  const sa = p.serviceAccount ?? 'default';
  const containerStatuses = p.containers.map((c) => {
    const cid = 'containerd://' + pick(HEX, 64);
    const base = { name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${pick(HEX, 64)}`, containerID: cid, started: running, ready: running, restartCount: p.restarts ?? 0 };
    if (phase === 'Succeeded') return { ...base, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ago(p.age - 2), finishedAt: ago(p.age - 9), containerID: cid } } };
    if (p.crash) return { ...base, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name} pod=${p.name}_${p.ns}(${podUid})` } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: ago(140), finishedAt: ago(139), containerID: cid } } };
    return { ...base, state: { running: { startedAt: ago(p.age - 3) } } };
  });
  events.push(
    { ns: p.ns, kind: 'Pod', name: p.name, uid: podUid, reason: 'Scheduled', message: `Successfully assigned ${p.ns}/${p.name} to ${node}`, type: 'Normal', age: p.age, component: 'default-scheduler' },
    ...p.containers.flatMap((c) => [
      { ns: p.ns, kind: 'Pod', name: p.name, uid: podUid, reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, type: 'Normal', age: p.age - 1, component: 'kubelet' },
      { ns: p.ns, kind: 'Pod', name: p.name, uid: podUid, reason: 'Created', message: `Created container ${c.name}`, type: 'Normal', age: p.age - 1, component: 'kubelet' },
      { ns: p.ns, kind: 'Pod', name: p.name, uid: podUid, reason: 'Started', message: `Started container ${c.name}`, type: 'Normal', age: p.age - 2, component: 'kubelet' },
    ]),
  );
  if (p.crash) {
    events.push({ ns: p.ns, kind: 'Pod', name: p.name, uid: podUid, reason: 'BackOff', message: `Back-off restarting failed container ${p.containers[0].name} in pod ${p.name}_${p.ns}(${podUid})`, type: 'Warning', age: 60, count: p.restarts ?? 1, component: 'kubelet' });
  }
  return {
    kind: 'Pod', apiVersion: 'v1',
    metadata: {
      name: p.name, ...(p.owner ? { generateName: p.name.replace(/[^-]+$/, '') } : {}), namespace: p.ns, uid: podUid, creationTimestamp: ago(p.age), labels: p.labels,
      ...(p.owner ? { ownerReferences: [{ apiVersion: p.owner.apiVersion, kind: p.owner.kind, name: p.owner.name, uid: p.owner.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: {
      volumes: [{ name: `kube-api-access-${pick(ALNUM, 5)}`, projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 } }],
      containers: p.containers.map((c) => ({
        name: c.name, image: c.image, ...(c.args ? { args: c.args } : {}),
        ...(c.port ? { ports: [{ containerPort: c.port, protocol: 'TCP' }] } : {}),
        resources: { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent',
      })),
      restartPolicy: phase === 'Succeeded' ? 'Never' : 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst',
      serviceAccountName: sa, serviceAccount: sa, nodeName: node, securityContext: {}, schedulerName: 'default-scheduler',
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.priorityClassName ? { priorityClassName: p.priorityClassName, priority: p.priorityClassName === 'system-node-critical' ? 2000001000 : 2000000000 } : { priority: 0 }),
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    },
    status: {
      phase,
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: ago(p.age) },
        { type: 'Ready', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ago(running ? p.age - 4 : 140), ...(running ? {} : { reason: phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady', message: `containers with unready status: [${p.containers.map((c) => c.name).join(' ')}]` }) },
        { type: 'ContainersReady', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ago(running ? p.age - 4 : 140) },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: ago(p.age) },
      ],
      hostIP: node === NODE ? NODE_IP : WORKER.ip, podIP: ip, podIPs: [{ ip }], startTime: ago(p.age), containerStatuses,
      qosClass: 'Burstable',
    },
  };
}
const addPod = (p: PodSpec) => put(`/registry/pods/${p.ns}/${p.name}`, podObject(p));

// workloads: deployments -> replicasets -> pods
type Workload = { ns: string; name: string; replicas: number; image: string; port?: number; labels?: Record<string, string>; age: number; crash?: boolean; oldRevisions?: number; sa?: string; pcn?: string };
const deployments: Workload[] = [
  { ns: 'default', name: 'redis', replicas: 1, image: 'docker.io/library/redis:7.2.3', port: 6379, age: 86400 * 20 },
  { ns: 'default', name: 'api', replicas: 2, image: 'ghcr.io/example/api:v1.4.2', port: 8080, age: 3600 * 5, crash: true, oldRevisions: 1 },
  { ns: 'kube-system', name: 'metrics-server', replicas: 1, image: 'registry.k8s.io/metrics-server/metrics-server:v0.6.4', port: 4443, labels: { 'k8s-app': 'metrics-server' }, age: 86400 * 30, sa: 'metrics-server', pcn: 'system-cluster-critical' },
  { ns: 'monitoring', name: 'prometheus', replicas: 1, image: 'quay.io/prometheus/prometheus:v2.48.0', port: 9090, age: 86400 * 12, sa: 'prometheus' },
  { ns: 'monitoring', name: 'grafana', replicas: 1, image: 'docker.io/grafana/grafana:10.2.2', port: 3000, age: 86400 * 12, sa: 'grafana', oldRevisions: 1 },
  { ns: 'monitoring', name: 'kube-state-metrics', replicas: 1, image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.10.1', port: 8080, labels: { 'app.kubernetes.io/name': 'kube-state-metrics' }, age: 86400 * 12 },
];
for (const d of deployments) {
  const labels = d.labels ?? { app: d.name };
  const dUid = uid();
  const revisions = (d.oldRevisions ?? 0) + 1;
  put(`/registry/deployments/${d.ns}/${d.name}`, {
    kind: 'Deployment', apiVersion: 'apps/v1',
    metadata: { name: d.name, namespace: d.ns, uid: dUid, generation: revisions, creationTimestamp: ago(d.age), labels, annotations: { 'deployment.kubernetes.io/revision': String(revisions) } },
    spec: {
      replicas: d.replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: d.name, image: d.image, ports: d.port ? [{ containerPort: d.port, protocol: 'TCP' }] : [] }], restartPolicy: 'Always', ...(d.sa ? { serviceAccountName: d.sa } : {}) } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: revisions, replicas: d.replicas, updatedReplicas: d.replicas, readyReplicas: d.crash ? 0 : d.replicas, availableReplicas: d.crash ? 0 : d.replicas,
      ...(d.crash ? { unavailableReplicas: d.replicas } : {}),
      conditions: [
        { type: 'Available', status: d.crash ? 'False' : 'True', lastUpdateTime: ago(d.age - 30), lastTransitionTime: ago(d.age - 30), reason: d.crash ? 'MinimumReplicasUnavailable' : 'MinimumReplicasAvailable', message: d.crash ? 'Deployment does not have minimum availability.' : 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: ago(d.age - 30), lastTransitionTime: ago(d.age), reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${d.name}" has successfully progressed.` },
      ],
    },
  });
  for (let rev = 1; rev <= revisions; rev++) {
    const hash = pick(ALNUM, 10);
    const rsName = `${d.name}-${hash}`;
    const current = rev === revisions;
    const rsUid = uid();
    const rsLabels = { ...labels, 'pod-template-hash': hash };
    put(`/registry/replicasets/${d.ns}/${rsName}`, {
      kind: 'ReplicaSet', apiVersion: 'apps/v1',
      metadata: {
        name: rsName, namespace: d.ns, uid: rsUid, generation: current ? 1 : 2, creationTimestamp: ago(current ? d.age : d.age + 86400 * rev), labels: rsLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(d.replicas), 'deployment.kubernetes.io/max-replicas': String(d.replicas + 1), 'deployment.kubernetes.io/revision': String(rev) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.name, uid: dUid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: current ? d.replicas : 0, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec: { containers: [{ name: d.name, image: d.image }] } } },
      status: { replicas: current ? d.replicas : 0, fullyLabeledReplicas: current ? d.replicas : 0, readyReplicas: current && !d.crash ? d.replicas : 0, availableReplicas: current && !d.crash ? d.replicas : 0, observedGeneration: current ? 1 : 2 },
    });
    if (!current) continue;
    for (let i = 0; i < d.replicas; i++) {
      addPod({
        ns: d.ns, name: `${rsName}-${pick(ALNUM, 5)}`, labels: rsLabels, age: d.age - 10 - i,
        containers: [{ name: d.name, image: d.image, port: d.port }],
        owner: { kind: 'ReplicaSet', name: rsName, uid: rsUid, apiVersion: 'apps/v1' },
        crash: d.crash, restarts: d.crash ? 14 + i : 0, serviceAccount: d.sa, priorityClassName: d.pcn,
      });
    }
  }
}

// ------------------------------------------------------ this sandbox's node --
// worker-1 runs this sandbox's runtime: its pods' names, uids and nodeName are the CRI pods' that
// seed-cri.ts starts (seed-cluster.ts). One API pod has no sandbox (missing here), and the CRI
// orphan stale-5c8d has no API object at all: the two findings :drift shows.
put(`/registry/minions/${WORKER.name}`, {
  kind: 'Node', apiVersion: 'v1',
  metadata: {
    name: WORKER.name, uid: WORKER.uid, creationTimestamp: ago(86400 * 30),
    labels: { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': WORKER.name, 'kubernetes.io/os': 'linux' },
    annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0' },
  },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
  status: {
    capacity: { cpu: '2', memory: '4026500Ki', pods: '110' },
    allocatable: { cpu: '2', memory: '3924100Ki', pods: '110' },
    conditions: [
      { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: ago(15), lastTransitionTime: ago(86400 * 30), reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
      { type: 'Ready', status: 'True', lastHeartbeatTime: ago(15), lastTransitionTime: ago(86400 * 30 - 40), reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ],
    addresses: [{ type: 'InternalIP', address: WORKER.ip }, { type: 'Hostname', address: WORKER.name }],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: pick(HEX, 32), systemUUID: uid(), bootID: uid(), kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.28.4', kubeProxyVersion: 'v1.28.4', operatingSystem: 'linux', architecture: 'amd64',
    },
    images: [{ names: [IMAGE], sizeBytes: 1032000 }, { names: ['registry.k8s.io/pause:3.6'], sizeBytes: 301773 }],
  },
});
put(`/registry/leases/kube-node-lease/${WORKER.name}`, {
  kind: 'Lease', apiVersion: 'coordination.k8s.io/v1',
  metadata: { name: WORKER.name, namespace: 'kube-node-lease', uid: uid(), creationTimestamp: ago(86400 * 30), ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: WORKER.name, uid: WORKER.uid }] },
  spec: { holderIdentity: WORKER.name, leaseDurationSeconds: 40, renewTime: new Date(NOW - 3000).toISOString().replace('Z', '000Z') },
});
{
  let ipNext = 2;
  const byName = new Map(runningPods.map((p) => [p.name, p]));
  for (const [name, w, ns, container, port, extra] of [
    ['nginx', workloads.nginx, 'default', 'nginx', 80, {}],
    ['coredns', workloads.coredns, 'kube-system', 'coredns', 53, { serviceAccount: 'coredns', priorityClassName: 'system-cluster-critical' }],
  ] as const) {
    const pod = byName.get(w.replicaSet)!;
    const labels = Object.fromEntries(Object.entries(pod.labels).filter(([k]) => k !== 'pod-template-hash'));
    const rsLabels = pod.labels;
    const replicas = name === 'nginx' ? 2 : 1;
    const ready = 1; // nginx's second replica is the missing pod
    put(`/registry/deployments/${ns}/${name}`, {
      kind: 'Deployment', apiVersion: 'apps/v1',
      metadata: { name, namespace: ns, uid: w.deploymentUid, generation: 1, creationTimestamp: ago(86400 * 6), labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: {
        replicas, selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: container, image: IMAGE, ports: [{ containerPort: port, protocol: 'TCP' }] }], restartPolicy: 'Always' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready,
        conditions: [{ type: 'Available', status: 'True', lastUpdateTime: ago(86400 * 6 - 30), lastTransitionTime: ago(86400 * 6 - 30), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }],
      },
    });
    put(`/registry/replicasets/${ns}/${w.replicaSet}`, {
      kind: 'ReplicaSet', apiVersion: 'apps/v1',
      metadata: {
        name: w.replicaSet, namespace: ns, uid: w.replicaSetUid, generation: 1, creationTimestamp: ago(86400 * 6), labels: rsLabels,
        annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1), 'deployment.kubernetes.io/revision': '1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: w.deploymentUid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas, selector: { matchLabels: rsLabels }, template: { metadata: { labels: rsLabels }, spec: { containers: [{ name: container, image: IMAGE }] } } },
      status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 },
    });
    const owner = { kind: 'ReplicaSet', name: w.replicaSet, uid: w.replicaSetUid, apiVersion: 'apps/v1' };
    const here = [{ name: pod.name, uid: pod.uid }, ...(name === 'nginx' ? [missingPod] : [])];
    for (const p of here) {
      addPod({ ns, name: p.name, uid: p.uid, node: WORKER.name, ip: `10.244.1.${ipNext++}`, labels: rsLabels, age: 86400 * 6 - 10, containers: [{ name: container, image: IMAGE, port }], owner, ...extra });
    }
  }
  const jobLabels = { 'batch.kubernetes.io/job-name': jobPod.job, 'job-name': jobPod.job };
  put(`/registry/jobs/${jobPod.namespace}/${jobPod.job}`, {
    kind: 'Job', apiVersion: 'batch/v1',
    metadata: { name: jobPod.job, namespace: jobPod.namespace, uid: jobPod.jobUid, generation: 1, creationTimestamp: ago(3600 * 3), labels: jobLabels },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { metadata: { labels: jobLabels }, spec: { containers: [{ name: 'backup', image: IMAGE, command: ['sh', '-c', 'tar czf /backup/db.tgz /data'] }], restartPolicy: 'Never' } } },
    status: { conditions: [{ type: 'Complete', status: 'True', lastProbeTime: ago(3600 * 3 - 40), lastTransitionTime: ago(3600 * 3 - 40) }], startTime: ago(3600 * 3), completionTime: ago(3600 * 3 - 40), succeeded: 1 },
  });
  addPod({ ns: jobPod.namespace, name: jobPod.name, uid: jobPod.uid, node: WORKER.name, ip: `10.244.1.${ipNext++}`, labels: jobLabels, age: 3600 * 3, phase: 'Succeeded', containers: [{ name: 'backup', image: IMAGE }], owner: { kind: 'Job', name: jobPod.job, uid: jobPod.jobUid, apiVersion: 'batch/v1' } });
}

// daemonsets, a statefulset, a job, static pods
for (const ds of [
  { ns: 'kube-system', name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.28.4', labels: { 'k8s-app': 'kube-proxy' }, hostNetwork: true, pcn: 'system-node-critical', sa: 'kube-proxy' },
  { ns: 'monitoring', name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.7.0', labels: { 'app.kubernetes.io/name': 'node-exporter' }, hostNetwork: true, port: 9100 },
] as Array<{ ns: string; name: string; image: string; labels: Record<string, string>; hostNetwork: boolean; pcn?: string; sa?: string; port?: number }>) {
  const dsUid = uid();
  const hash = pick(ALNUM, 9);
  put(`/registry/daemonsets/${ds.ns}/${ds.name}`, {
    kind: 'DaemonSet', apiVersion: 'apps/v1',
    metadata: { name: ds.name, namespace: ds.ns, uid: dsUid, generation: 1, creationTimestamp: ago(CLUSTER_AGE), labels: ds.labels, annotations: { 'deprecated.daemonset.template.generation': '1' } },
    spec: { selector: { matchLabels: ds.labels }, template: { metadata: { labels: ds.labels }, spec: { hostNetwork: ds.hostNetwork, containers: [{ name: ds.name, image: ds.image }] } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 },
    status: { currentNumberScheduled: 1, numberMisscheduled: 0, desiredNumberScheduled: 1, numberReady: 1, observedGeneration: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
  });
  put(`/registry/controllerrevisions/${ds.ns}/${ds.name}-${hash}`, {
    kind: 'ControllerRevision', apiVersion: 'apps/v1',
    metadata: { name: `${ds.name}-${hash}`, namespace: ds.ns, uid: uid(), creationTimestamp: ago(CLUSTER_AGE), labels: { ...ds.labels, 'controller-revision-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.name, uid: dsUid, controller: true, blockOwnerDeletion: true }] },
    data: { spec: { template: { spec: { containers: [{ name: ds.name, image: ds.image }] } } } }, revision: 1,
  });
  addPod({ ns: ds.ns, name: `${ds.name}-${pick(ALNUM, 5)}`, labels: { ...ds.labels, 'controller-revision-hash': hash, 'pod-template-generation': '1' }, age: CLUSTER_AGE - 60, hostNetwork: ds.hostNetwork, containers: [{ name: ds.name, image: ds.image, port: ds.port }], owner: { kind: 'DaemonSet', name: ds.name, uid: dsUid, apiVersion: 'apps/v1' }, priorityClassName: ds.pcn, serviceAccount: ds.sa, restarts: 1 });
}
{
  const stsUid = uid();
  const labels = { 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main' };
  put('/registry/statefulsets/monitoring/alertmanager-main', {
    kind: 'StatefulSet', apiVersion: 'apps/v1',
    metadata: { name: 'alertmanager-main', namespace: 'monitoring', uid: stsUid, generation: 1, creationTimestamp: ago(86400 * 12), labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, serviceName: 'alertmanager-operated', podManagementPolicy: 'Parallel', template: { metadata: { labels }, spec: { containers: [{ name: 'alertmanager', image: 'quay.io/prometheus/alertmanager:v0.26.0' }] } }, updateStrategy: { type: 'RollingUpdate' } },
    status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, currentReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  });
  addPod({ ns: 'monitoring', name: 'alertmanager-main-0', labels: { ...labels, 'statefulset.kubernetes.io/pod-name': 'alertmanager-main-0' }, age: 86400 * 12 - 30, containers: [{ name: 'alertmanager', image: 'quay.io/prometheus/alertmanager:v0.26.0', port: 9093 }, { name: 'config-reloader', image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.70.0' }], owner: { kind: 'StatefulSet', name: 'alertmanager-main', uid: stsUid, apiVersion: 'apps/v1' } });
}
{
  const jobUid = uid();
  const labels = { 'batch.kubernetes.io/job-name': 'db-migrate', 'job-name': 'db-migrate' };
  put('/registry/jobs/default/db-migrate', {
    kind: 'Job', apiVersion: 'batch/v1',
    metadata: { name: 'db-migrate', namespace: 'default', uid: jobUid, generation: 1, creationTimestamp: ago(3600 * 5 + 120), labels },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', template: { metadata: { labels }, spec: { containers: [{ name: 'migrate', image: 'ghcr.io/example/api:v1.4.2', args: ['migrate', '--up'] }], restartPolicy: 'Never' } } },
    status: { conditions: [{ type: 'Complete', status: 'True', lastProbeTime: ago(3600 * 5), lastTransitionTime: ago(3600 * 5) }], startTime: ago(3600 * 5 + 120), completionTime: ago(3600 * 5), succeeded: 1 },
  });
  addPod({ ns: 'default', name: `db-migrate-${pick(ALNUM, 5)}`, labels, age: 3600 * 5 + 118, phase: 'Succeeded', containers: [{ name: 'migrate', image: 'ghcr.io/example/api:v1.4.2', args: ['migrate', '--up'] }], owner: { kind: 'Job', name: 'db-migrate', uid: jobUid, apiVersion: 'batch/v1' } });
}
for (const [component, image, port] of [
  ['etcd', 'registry.k8s.io/etcd:3.5.9-0', 2379], ['kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.28.4', 6443],
  ['kube-controller-manager', 'registry.k8s.io/kube-controller-manager:v1.28.4', 10257], ['kube-scheduler', 'registry.k8s.io/kube-scheduler:v1.28.4', 10259],
] as const) {
  addPod({ ns: 'kube-system', name: `${component}-${NODE}`, labels: { component, tier: 'control-plane' }, age: CLUSTER_AGE - 20, hostNetwork: true, containers: [{ name: component, image, port }], owner: { kind: 'Node', name: NODE, uid: nodeUid, apiVersion: 'v1' }, priorityClassName: 'system-node-critical', restarts: 2 });
}

// the real kube-apiserver value (protobuf, "k8s\0" magic), as-is
const storageBin = path.resolve(repo, '../shared/testdata/k8s/pod.storage.bin');
let realPodNote = '';
if (existsSync(storageBin)) {
  put('/registry/pods/default/pi-dqtsw', readFileSync(storageBin));
  realPodNote = `/registry/pods/default/pi-dqtsw = ${path.relative(repo, storageBin)} (protobuf, as-is)`;
} else {
  // A clone with only the repository has no ../shared: say so once, plainly, and seed the rest.
  realPodNote = `the real kube-apiserver Pod value /registry/pods/default/pi-dqtsw was not seeded: ${storageBin} is absent (it comes from the team's ../shared folder beside the repository); the rest of the tree is seeded`;
}

// --------------------------------------------------- services + endpoints --
const services: Array<{ ns: string; name: string; ip: string; ports: Array<[string, number, number, string?]>; selector?: Record<string, string>; type?: string; labels?: Record<string, string> }> = [
  { ns: 'default', name: 'kubernetes', ip: '10.96.0.1', ports: [['https', 443, 6443]], labels: { component: 'apiserver', provider: 'kubernetes' } },
  { ns: 'default', name: 'nginx', ip: '10.96.120.14', ports: [['http', 80, 80]], selector: { app: 'nginx' }, type: 'NodePort' },
  { ns: 'default', name: 'redis', ip: '10.96.44.201', ports: [['redis', 6379, 6379]], selector: { app: 'redis' } },
  { ns: 'default', name: 'api', ip: '10.96.8.77', ports: [['http', 80, 8080]], selector: { app: 'api' } },
  { ns: 'kube-system', name: 'kube-dns', ip: '10.96.0.10', ports: [['dns', 53, 53, 'UDP'], ['dns-tcp', 53, 53], ['metrics', 9153, 9153]], selector: { 'k8s-app': 'kube-dns' }, labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
  { ns: 'kube-system', name: 'metrics-server', ip: '10.96.201.3', ports: [['https', 443, 4443]], selector: { 'k8s-app': 'metrics-server' } },
  { ns: 'monitoring', name: 'prometheus', ip: '10.96.77.9', ports: [['web', 9090, 9090]], selector: { app: 'prometheus' } },
  { ns: 'monitoring', name: 'grafana', ip: '10.96.77.10', ports: [['http', 3000, 3000]], selector: { app: 'grafana' } },
  { ns: 'monitoring', name: 'alertmanager-main', ip: '10.96.77.11', ports: [['web', 9093, 9093]], selector: { 'app.kubernetes.io/name': 'alertmanager', alertmanager: 'main' } },
  { ns: 'monitoring', name: 'kube-state-metrics', ip: 'None', ports: [['http-metrics', 8080, 8080]], selector: { 'app.kubernetes.io/name': 'kube-state-metrics' } },
  { ns: 'monitoring', name: 'node-exporter', ip: 'None', ports: [['metrics', 9100, 9100]], selector: { 'app.kubernetes.io/name': 'node-exporter' } },
];
for (const s of services) {
  const sUid = uid();
  const age = s.ns === 'monitoring' ? 86400 * 12 : CLUSTER_AGE;
  put(`/registry/services/specs/${s.ns}/${s.name}`, {
    kind: 'Service', apiVersion: 'v1',
    metadata: { name: s.name, namespace: s.ns, uid: sUid, creationTimestamp: ago(age), labels: s.labels ?? (s.selector ?? {}) },
    spec: {
      ports: s.ports.map(([name, port, target, proto], i) => ({ name, protocol: proto ?? 'TCP', port, targetPort: target, ...(s.type === 'NodePort' ? { nodePort: 30080 + i } : {}) })),
      ...(s.selector ? { selector: s.selector } : {}), clusterIP: s.ip, clusterIPs: [s.ip], type: s.type ?? 'ClusterIP', sessionAffinity: 'None',
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  });
  const backends = s.selector
    ? podsByLabel.filter((p) => p.ns === s.ns && Object.entries(s.selector!).every(([k, v]) => p.labels[k] === v))
    : [{ ns: 'default', name: 'kube-apiserver', labels: {}, ip: NODE_IP, uid: '' }];
  const addresses = backends.map((b) => ({ ip: b.ip, nodeName: b.node ?? NODE, ...(b.uid ? { targetRef: { kind: 'Pod', namespace: b.ns, name: b.name, uid: b.uid } } : {}) }));
  put(`/registry/services/endpoints/${s.ns}/${s.name}`, {
    kind: 'Endpoints', apiVersion: 'v1',
    metadata: { name: s.name, namespace: s.ns, uid: uid(), creationTimestamp: ago(age), labels: s.labels ?? (s.selector ?? {}) },
    subsets: addresses.length ? [{ addresses, ports: s.ports.map(([name, , target, proto]) => ({ name, port: target, protocol: proto ?? 'TCP' })) }] : [],
  });
  const slice = `${s.name}-${pick(ALNUM, 5)}`;
  put(`/registry/endpointslices/${s.ns}/${s.name === 'kubernetes' ? 'kubernetes' : slice}`, {
    kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1',
    metadata: { name: s.name === 'kubernetes' ? 'kubernetes' : slice, namespace: s.ns, uid: uid(), creationTimestamp: ago(age), labels: { 'kubernetes.io/service-name': s.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: s.name, uid: sUid, controller: true, blockOwnerDeletion: true }] },
    addressType: 'IPv4',
    endpoints: addresses.map((a) => ({ addresses: [a.ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: a.nodeName, ...('targetRef' in a ? { targetRef: a.targetRef } : {}) })),
    ports: s.ports.map(([name, , target, proto]) => ({ name, protocol: proto ?? 'TCP', port: target })),
  });
}
put('/registry/ranges/serviceips', { kind: 'RangeAllocation', apiVersion: 'v1', metadata: { creationTimestamp: null }, range: '10.96.0.0/12', data: b64(pick(HEX, 48)) });
put('/registry/ranges/servicenodeports', { kind: 'RangeAllocation', apiVersion: 'v1', metadata: { creationTimestamp: null }, range: '30000-32767', data: b64(pick(HEX, 16)) });

// ------------------------------------------------- configmaps and secrets --
const CA = '-----BEGIN CERTIFICATE-----\n' + Array.from({ length: 17 }, () => b64(pick(HEX, 48)).slice(0, 64)).join('\n') + '\n-----END CERTIFICATE-----\n';
for (const ns of Object.keys(nsUids)) {
  put(`/registry/configmaps/${ns}/kube-root-ca.crt`, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'kube-root-ca.crt', namespace: ns, uid: uid(), creationTimestamp: ago(ns === 'monitoring' ? 86400 * 12 : CLUSTER_AGE), annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': CA } });
}
const configmaps: Array<[string, string, Record<string, string>]> = [
  ['kube-system', 'coredns', { Corefile: '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n' }],
  ['kube-system', 'kube-proxy', { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nbindAddress: 0.0.0.0\nclusterCIDR: 10.244.0.0/16\nmode: "iptables"\n', kubeconfig: 'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://192.168.56.10:6443\n  name: default\n' }],
  ['kube-system', 'kubeadm-config', { ClusterConfiguration: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nkubernetesVersion: v1.28.4\nclusterName: kubernetes\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n' }],
  ['kube-system', 'kubelet-config', { kubelet: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n' }],
  ['kube-system', 'extension-apiserver-authentication', { 'client-ca-file': CA, 'requestheader-allowed-names': '["front-proxy-client"]', 'requestheader-client-ca-file': CA }],
  ['kube-public', 'cluster-info', { kubeconfig: `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${b64(pick(HEX, 60))}\n    server: https://${NODE_IP}:6443\n  name: ""\nkind: Config\n` }],
  ['default', 'nginx-conf', { 'default.conf': 'server {\n    listen 80;\n    location / {\n        root /usr/share/nginx/html;\n        index index.html;\n    }\n    location /api/ {\n        proxy_pass http://api.default.svc.cluster.local/;\n    }\n}\n' }],
  ['default', 'api-settings', { LOG_LEVEL: 'info', DB_HOST: 'postgres.default.svc', FEATURE_NEW_CHECKOUT: 'true', 'settings.json': JSON.stringify({ retries: 3, timeoutMs: 2500, regions: ['eu-west-1', 'us-east-1'] }, null, 2) }],
  ['monitoring', 'prometheus-config', { 'prometheus.yml': 'global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: kubernetes-pods\n  kubernetes_sd_configs:\n  - role: pod\n- job_name: node-exporter\n  static_configs:\n  - targets: ["192.168.56.10:9100"]\n' }],
  ['monitoring', 'grafana-dashboards', { 'cluster.json': JSON.stringify({ title: 'Cluster overview', panels: [{ type: 'graph', title: 'CPU' }, { type: 'graph', title: 'Memory' }] }) }],
];
for (const [ns, name, data] of configmaps) {
  put(`/registry/configmaps/${ns}/${name}`, { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name, namespace: ns, uid: uid(), creationTimestamp: ago(ns === 'monitoring' ? 86400 * 12 : CLUSTER_AGE - 100) }, data });
}
const secrets: Array<[string, string, string, Record<string, string>]> = [
  ['default', 'db-credentials', 'Opaque', { username: 'app', password: 'S3cr3t-' + pick(ALNUM, 12), url: 'postgres://app@postgres.default.svc:5432/app' }],
  ['default', 'nginx-tls', 'kubernetes.io/tls', { 'tls.crt': CA, 'tls.key': '-----BEGIN PRIVATE KEY-----\n' + b64(pick(HEX, 96)) + '\n-----END PRIVATE KEY-----\n' }],
  ['default', 'regcred', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': JSON.stringify({ auths: { 'ghcr.io': { username: 'ci-bot', password: pick(ALNUM, 20), auth: b64('ci-bot:' + pick(ALNUM, 20)) } } }) }],
  ['kube-system', 'bootstrap-token-abcdef', 'bootstrap.kubernetes.io/token', { 'token-id': 'abcdef', 'token-secret': pick('abcdefghijklmnopqrstuvwxyz0123456789', 16), 'usage-bootstrap-authentication': 'true', 'usage-bootstrap-signing': 'true', 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token' }],
  ['kube-system', 'sh.helm.release.v1.metrics-server.v1', 'helm.sh/release.v1', { release: b64('H4sIAAAAAAAC/' + pick(ALNUM, 120)) }],
  ['monitoring', 'grafana-admin', 'Opaque', { 'admin-user': 'admin', 'admin-password': pick(ALNUM, 16) }],
  ['monitoring', 'alertmanager-main', 'Opaque', { 'alertmanager.yaml': 'route:\n  receiver: "null"\nreceivers:\n- name: "null"\n' }],
];
for (const [ns, name, type, data] of secrets) {
  put(`/registry/secrets/${ns}/${name}`, { kind: 'Secret', apiVersion: 'v1', metadata: { name, namespace: ns, uid: uid(), creationTimestamp: ago(ns === 'monitoring' ? 86400 * 12 : CLUSTER_AGE - 200) }, type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
}

// ------------------------------------------------------- service accounts --
const controllerSAs = ['attachdetach-controller', 'bootstrap-signer', 'certificate-controller', 'clusterrole-aggregation-controller', 'coredns', 'cronjob-controller', 'daemon-set-controller', 'deployment-controller', 'disruption-controller', 'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller', 'ephemeral-volume-controller', 'expand-controller', 'generic-garbage-collector', 'horizontal-pod-autoscaler', 'job-controller', 'kube-proxy', 'metrics-server', 'namespace-controller', 'node-controller', 'persistent-volume-binder', 'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller', 'replication-controller', 'resourcequota-controller', 'root-ca-cert-publisher', 'service-account-controller', 'service-controller', 'statefulset-controller', 'token-cleaner', 'ttl-after-finished-controller', 'ttl-controller'];
const sas: Array<[string, string]> = [
  ...Object.keys(nsUids).map((ns) => [ns, 'default'] as [string, string]),
  ...controllerSAs.map((n) => ['kube-system', n] as [string, string]),
  ['monitoring', 'prometheus'], ['monitoring', 'grafana'], ['monitoring', 'kube-state-metrics'], ['default', 'api'],
];
for (const [ns, name] of sas) {
  put(`/registry/serviceaccounts/${ns}/${name}`, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace: ns, uid: uid(), creationTimestamp: ago(ns === 'monitoring' ? 86400 * 12 : CLUSTER_AGE) } });
}

// ------------------------------------------------------------------- RBAC --
const clusterRoles = ['admin', 'cluster-admin', 'edit', 'view', 'system:aggregate-to-admin', 'system:aggregate-to-edit', 'system:aggregate-to-view', 'system:auth-delegator', 'system:basic-user', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'system:controller:attachdetach-controller', 'system:controller:cronjob-controller', 'system:controller:daemon-set-controller', 'system:controller:deployment-controller', 'system:controller:endpoint-controller', 'system:controller:job-controller', 'system:controller:namespace-controller', 'system:controller:node-controller', 'system:controller:replicaset-controller', 'system:controller:statefulset-controller', 'system:coredns', 'system:discovery', 'system:heapster', 'system:kube-aggregator', 'system:kube-controller-manager', 'system:kube-dns', 'system:kube-scheduler', 'system:kubelet-api-admin', 'system:metrics-server', 'system:monitoring', 'system:node', 'system:node-bootstrapper', 'system:node-proxier', 'system:public-info-viewer', 'system:service-account-issuer-discovery', 'system:volume-scheduler', 'prometheus', 'kube-state-metrics'];
for (const name of clusterRoles) {
  put(`/registry/clusterroles/${name}`, {
    kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1',
    metadata: { name, uid: uid(), creationTimestamp: ago(CLUSTER_AGE), labels: name.startsWith('system:') || ['admin', 'edit', 'view', 'cluster-admin'].includes(name) ? { 'kubernetes.io/bootstrapping': 'rbac-defaults' } : {}, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
    rules: name === 'cluster-admin' ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }] : [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'nodes'] }],
  });
}
const bindings = ['cluster-admin', 'kubeadm:get-nodes', 'kubeadm:kubelet-bootstrap', 'kubeadm:node-autoapprove-bootstrap', 'kubeadm:node-proxier', 'system:basic-user', 'system:controller:deployment-controller', 'system:controller:job-controller', 'system:controller:replicaset-controller', 'system:coredns', 'system:discovery', 'system:kube-controller-manager', 'system:kube-dns', 'system:kube-scheduler', 'system:metrics-server', 'system:monitoring', 'system:node', 'system:node-proxier', 'system:public-info-viewer', 'prometheus', 'kube-state-metrics'];
for (const name of bindings) {
  put(`/registry/clusterrolebindings/${name}`, { kind: 'ClusterRoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: name === 'cluster-admin' ? 'system:masters' : 'system:authenticated' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoles.includes(name) ? name : 'system:node-bootstrapper' } });
}
for (const [ns, name] of [['kube-system', 'extension-apiserver-authentication-reader'], ['kube-system', 'kube-proxy'], ['kube-system', 'kubeadm:kubelet-config'], ['kube-system', 'kubeadm:nodes-kubeadm-config'], ['kube-system', 'system::leader-locking-kube-controller-manager'], ['kube-system', 'system::leader-locking-kube-scheduler'], ['kube-public', 'kubeadm:bootstrap-signer-clusterinfo'], ['monitoring', 'prometheus-k8s']]) {
  put(`/registry/roles/${ns}/${name}`, { kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name, namespace: ns, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] });
  put(`/registry/rolebindings/${ns}/${name}`, { kind: 'RoleBinding', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name, namespace: ns, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name } });
}

// ---------------------------------------------- cluster-scoped odds & ends --
for (const [group, version, prio] of [['', 'v1', 18000], ['apps', 'v1', 17800], ['authentication.k8s.io', 'v1', 17700], ['authorization.k8s.io', 'v1', 17600], ['autoscaling', 'v1', 17500], ['autoscaling', 'v2', 17500], ['batch', 'v1', 17400], ['certificates.k8s.io', 'v1', 17300], ['networking.k8s.io', 'v1', 17200], ['policy', 'v1', 17100], ['rbac.authorization.k8s.io', 'v1', 17000], ['storage.k8s.io', 'v1', 16800], ['admissionregistration.k8s.io', 'v1', 16700], ['apiextensions.k8s.io', 'v1', 16700], ['scheduling.k8s.io', 'v1', 16600], ['coordination.k8s.io', 'v1', 16500], ['node.k8s.io', 'v1', 16300], ['discovery.k8s.io', 'v1', 16200], ['flowcontrol.apiserver.k8s.io', 'v1beta3', 16100], ['metrics.k8s.io', 'v1beta1', 100]] as const) {
  const name = group ? `${version}.${group}` : version;
  put(`/registry/apiregistration.k8s.io/apiservices/${name}`, {
    kind: 'APIService', apiVersion: 'apiregistration.k8s.io/v1',
    metadata: { name, uid: uid(), creationTimestamp: ago(group === 'metrics.k8s.io' ? 86400 * 30 : CLUSTER_AGE), labels: group === 'metrics.k8s.io' ? { 'k8s-app': 'metrics-server' } : { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
    spec: { ...(group === 'metrics.k8s.io' ? { service: { namespace: 'kube-system', name: 'metrics-server', port: 443 }, insecureSkipTLSVerify: true } : {}), group, version, groupPriorityMinimum: prio, versionPriority: 15 },
    status: { conditions: [{ type: 'Available', status: 'True', lastTransitionTime: ago(CLUSTER_AGE), reason: group === 'metrics.k8s.io' ? 'Passed' : 'Local', message: group === 'metrics.k8s.io' ? 'all checks passed' : 'Local APIServices are always available' }] },
  });
}
for (const [name, value] of [['system-cluster-critical', 2000000000], ['system-node-critical', 2000001000]] as const) {
  put(`/registry/priorityclasses/${name}`, { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: { name, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, value, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.', preemptionPolicy: 'PreemptLowerPriority' });
}
for (const name of ['catch-all', 'exempt', 'global-default', 'kube-controller-manager', 'kube-scheduler', 'kube-system-service-accounts', 'probes', 'service-accounts', 'system-leader-election', 'system-node-high', 'system-nodes', 'workload-leader-election', 'endpoint-controller']) {
  put(`/registry/flowschemas/${name}`, { kind: 'FlowSchema', apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', metadata: { name, uid: uid(), creationTimestamp: ago(CLUSTER_AGE), annotations: { 'apf.kubernetes.io/autoupdate-spec': 'true' } }, spec: { priorityLevelConfiguration: { name: name === 'exempt' ? 'exempt' : 'workload-low' }, matchingPrecedence: 1000, distinguisherMethod: { type: 'ByUser' } } });
}
for (const name of ['catch-all', 'exempt', 'global-default', 'leader-election', 'node-high', 'system', 'workload-high', 'workload-low']) {
  put(`/registry/prioritylevelconfigurations/${name}`, { kind: 'PriorityLevelConfiguration', apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', metadata: { name, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, spec: name === 'exempt' ? { type: 'Exempt' } : { type: 'Limited', limited: { nominalConcurrencyShares: 30, limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 6, queueLengthLimit: 50 } } } } });
}
put('/registry/storageclasses/standard', { kind: 'StorageClass', apiVersion: 'storage.k8s.io/v1', metadata: { name: 'standard', uid: uid(), creationTimestamp: ago(CLUSTER_AGE), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
put(`/registry/csinodes/${NODE}`, { kind: 'CSINode', apiVersion: 'storage.k8s.io/v1', metadata: { name: NODE, uid: uid(), creationTimestamp: ago(CLUSTER_AGE) }, spec: { drivers: null } });
put('/registry/persistentvolumeclaims/monitoring/prometheus-data', { kind: 'PersistentVolumeClaim', apiVersion: 'v1', metadata: { name: 'prometheus-data', namespace: 'monitoring', uid: uid(), creationTimestamp: ago(86400 * 12) }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } }, storageClassName: 'standard', volumeName: 'pvc-' + uid(), volumeMode: 'Filesystem' }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '20Gi' } } });

// ----------------------------------------------------------------- events --
events.push(
  { ns: 'default', kind: 'Node', name: NODE, uid: nodeUid, reason: 'NodeReady', message: `Node ${NODE} status is now: NodeReady`, type: 'Normal', age: 3600 * 2, component: 'kubelet' },
  { ns: 'default', kind: 'Node', name: NODE, uid: nodeUid, reason: 'NodeHasSufficientMemory', message: `Node ${NODE} status is now: NodeHasSufficientMemory`, type: 'Normal', age: 3600 * 2, component: 'kubelet' },
  { ns: 'kube-system', kind: 'Lease', name: 'kube-scheduler', uid: uid(), reason: 'LeaderElection', message: `${NODE}_${uid()} became leader`, type: 'Normal', age: 3600 * 7, component: 'default-scheduler' },
  { ns: 'default', kind: 'Deployment', name: 'api', uid: uid(), reason: 'ScalingReplicaSet', message: 'Scaled up replica set api to 2', type: 'Normal', age: 3600 * 5, component: 'deployment-controller' },
  { ns: 'default', kind: 'Job', name: 'db-migrate', uid: uid(), reason: 'Completed', message: 'Job completed', type: 'Normal', age: 3600 * 5, component: 'job-controller' },
);
for (const e of events) {
  const name = `${e.name}.${pick(HEX, 16)}`;
  put(`/registry/events/${e.ns}/${name}`, {
    kind: 'Event', apiVersion: 'v1',
    metadata: { name, namespace: e.ns, uid: uid(), creationTimestamp: ago(e.age) },
    involvedObject: { kind: e.kind, namespace: e.kind === 'Node' ? undefined : e.ns, name: e.name, uid: e.uid, apiVersion: e.kind === 'Pod' || e.kind === 'Node' ? 'v1' : 'apps/v1' },
    reason: e.reason, message: e.message, source: { component: e.component ?? 'kubelet', host: NODE },
    firstTimestamp: ago(e.age), lastTimestamp: ago(e.age), count: e.count ?? 1, type: e.type, eventTime: null, reportingComponent: e.component ?? 'kubelet', reportingInstance: NODE,
  });
}

// A Secret encrypted at rest (EncryptionConfiguration aescbc, key "key1"): kube-apiserver writes
// the provider prefix and the ciphertext (IV + blocks). Random bytes here: undock never decrypts.
const cipher = Buffer.alloc(16 + 16 * 12);
for (let i = 0; i < cipher.length; i++) cipher[i] = Math.floor(rand() * 256);
put('/registry/secrets/default/api-token', Buffer.concat([Buffer.from('k8s:enc:aescbc:v1:key1:'), cipher]));

// --------------------------------------------------- special + non-k8s keys --
const blob = Buffer.alloc(512);
for (let i = 0; i < blob.length; i++) blob[i] = Math.floor(rand() * 256);
blob[0] = 0x00; blob[1] = 0xff; blob[2] = 0xfe; // never valid UTF-8
put('/registry/binary/blob', blob);
put('/undock/hello', 'world');
put('/undock/empty', '');
put('config/feature-flags', { newCheckout: true, darkMode: false, rolloutPercent: 25, allowList: ['team-a', 'team-b'], updatedAt: ago(3600) });
put('config/app.yaml', 'server:\n  port: 8080\n  readTimeout: 5s\nlogging:\n  level: info\n  format: json\n');
const LEASED_KEY = '/registry/masterleases/10.0.0.10';
const leasedValue = { kind: 'Endpoints', apiVersion: 'v1', metadata: { creationTimestamp: null }, subsets: [{ addresses: [{ ip: NODE_IP }] }] };

// ------------------------------------------------------------------ write --
const prefixEnd = (p: string) => {
  const b = Buffer.from(p);
  b[b.length - 1] += 1;
  return b;
};

async function main() {
  const t0 = Date.now();
  const client = new Etcd3({ hosts: endpoints, dialTimeout: 3000, grpcOptions: { 'grpc.max_receive_message_length': 64 << 20 } });
  try {
    // forget what a previous run left: the leased key's lease, then the prefixes
    const old = await client.kv.range({ key: Buffer.from(LEASED_KEY) });
    for (const k of old.kvs) {
      if (k.lease && k.lease !== '0') await client.leaseClient.leaseRevoke({ ID: k.lease }).catch(() => undefined);
    }
    let deleted = 0;
    for (const p of ['/registry/', '/undock/', 'config/']) {
      const r = await client.kv.deleteRange({ key: Buffer.from(p), range_end: prefixEnd(p) });
      deleted += Number(r.deleted);
    }
    // batched transactions (etcd's default limit is 128 operations per txn)
    const BATCH = 100;
    for (let i = 0; i < kv.length; i += BATCH) {
      const success: IRequestOp[] = kv.slice(i, i + BATCH).map(([key, value]) => ({ request_put: { key: Buffer.from(key), value } }));
      await client.kv.txn({ compare: [], success, failure: [] });
    }
    const grant = await client.leaseClient.leaseGrant({ TTL: 3600 });
    await client.kv.put({ key: Buffer.from(LEASED_KEY), value: Buffer.from(JSON.stringify(leasedValue)), lease: grant.ID });
    const total = await client.kv.range({ key: Buffer.from('\0'), range_end: Buffer.from('\0'), count_only: true });
    const byKind = new Map<string, number>();
    for (const [k] of [...kv, [LEASED_KEY, Buffer.alloc(0)] as [string, Buffer]]) {
      const kind = k.startsWith('/registry/') ? k.split('/')[2] : k.split('/').filter(Boolean)[0];
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    console.log(`etcd ${endpoints.join(',')}: removed ${deleted} old keys, wrote ${kv.length + 1} keys in ${Math.ceil(kv.length / BATCH)} transactions (+1 leased put), ${total.count} keys in etcd now (${Date.now() - t0} ms)`);
    console.log('  ' + [...byKind.entries()].map(([k, n]) => `${k}:${n}`).join(' '));
    console.log(`  ${LEASED_KEY} under lease ${BigInt(grant.ID).toString(16)} (TTL ${grant.TTL} s); /registry/binary/blob = 512 random bytes`);
    console.log(`  ${realPodNote}`);
    console.log(`  k8s protobuf: ${[...encoded].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; /registry/secrets/default/api-token encrypted at rest (aescbc, key1)`);
    if (asJson.size) console.log(`  JSON (no protobuf schema in undock for): ${[...asJson.keys()].join(', ')}`);
    const surprising = [...asJson].filter(([, why]) => !why.startsWith('no schema'));
    for (const [k, why] of surprising) console.log(`  warning: ${k} stored as JSON: ${why}`);
  } finally {
    client.close();
  }
}

main().catch((err) => {
  console.error('seed-etcd: failed:', err?.message ?? err);
  process.exit(1);
});
