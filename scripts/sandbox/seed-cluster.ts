// The one description of the node both seeds agree on: seed-cri.ts starts these pods as a kubelet
// would, seed-etcd.ts writes their API objects, so names, uids and nodeName match on both sides.
// The two seeds run in parallel: nothing here is random (uids are fixed).
//
// On node worker-1 (this sandbox's runtime):
//   default/nginx-7d9f        Deployment nginx -> ReplicaSet nginx-7d9f -> Pod, runs here
//   kube-system/coredns-5d78  Deployment coredns -> ReplicaSet coredns-5d78 -> Pod, runs here
//   default/stale-5c8d        a sandbox only: its API object is gone (the orphan :drift shows)
//   default/nginx-7d9f-q4m2x  an API Pod only: bound here, Running, no sandbox (the missing pod)
//   default/backup-28391-w7k2p  Job backup-28391 -> Pod, Succeeded (terminal: needs no sandbox)

export const NODE_NAME = 'worker-1';
export const NODE_UID = 'f3a1c2d4-5b6e-4f70-8a91-b2c3d4e5f601';
export const NODE_IP = '192.168.56.11';
export const IMAGE = 'docker.io/library/busybox:latest';

export interface SeedPod {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  container: string;
  /** What its container runs (CRI side). */
  script: string;
}

/** Pods with a sandbox here and an API object (they agree). */
export const runningPods: SeedPod[] = [
  {
    name: 'nginx-7d9f', namespace: 'default', uid: '0b7e4c1a-2d3f-4a5b-9c6d-7e8f9a0b1c21', labels: {app: 'nginx', 'pod-template-hash': '7d9f'}, container: 'nginx',
    script: 'i=0; while true; do i=$((i+1)); echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) 10.0.0.$((i % 7 + 2)) \\"GET /index.html HTTP/1.1\\" 200 615 req=$i"; sleep 2; done',
  },
  {
    name: 'coredns-5d78', namespace: 'kube-system', uid: '1c8f5d2b-3e4a-4b6c-8d7e-8f9a0b1c2d32', labels: {'k8s-app': 'kube-dns', 'pod-template-hash': '5d78'}, container: 'coredns',
    script: 'i=0; while true; do i=$((i+1)); echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) [INFO] 10.0.0.1:5353 - $i \\"A IN kubernetes.default.svc.cluster.local. udp 54\\" NOERROR qr,aa,rd 106 0.0001s"; [ $((i % 10)) = 0 ] && echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) [WARNING] plugin/health: slow check $i" >&2; sleep 2; done',
  },
];

/** A sandbox whose API object was deleted while the node was away: only the CRI seed makes it. */
export const orphanPod: SeedPod = {
  name: 'stale-5c8d', namespace: 'default', uid: '2d9a6e3c-4f5b-4c7d-9e8f-9a0b1c2d3e43', labels: {app: 'stale', 'pod-template-hash': '5c8d'}, container: 'stale',
  script: 'while true; do sleep 3600; done',
};

/** An API Pod bound here with no sandbox: only the etcd seed writes it (a second nginx replica). */
export const missingPod = {name: 'nginx-7d9f-q4m2x', namespace: 'default', uid: '3e0b7f4d-5a6c-4d8e-8f9a-0b1c2d3e4f54'};

/** A finished Job's pod: terminal, so no sandbox is expected. */
export const jobPod = {name: 'backup-28391-w7k2p', namespace: 'default', uid: '4f1c8a5e-6b7d-4e9f-9a0b-1c2d3e4f5a65', job: 'backup-28391', jobUid: '5a2d9b6f-7c8e-4f0a-8b1c-2d3e4f5a6b76'};

export const workloads = {
  nginx: {deploymentUid: '6b3e0c7a-8d9f-4a1b-9c2d-3e4f5a6b7c87', replicaSet: 'nginx-7d9f', replicaSetUid: '7c4f1d8b-9e0a-4b2c-8d3e-4f5a6b7c8d98'},
  coredns: {deploymentUid: '8d5a2e9c-0f1b-4c3d-9e4f-5a6b7c8d9ea9', replicaSet: 'coredns-5d78', replicaSetUid: '9e6b3f0d-1a2c-4d4e-8f5a-6b7c8d9e0fba'},
};
