// The cluster's Node objects and the Pods bound to each, as etcd holds them (what `kubectl get nodes`
// shows, read from the API server's storage rather than from the API server).
import type {EtcdClient} from '../etcd/client.js';
import {rangeKeys, type KeyValue} from '../etcd/keys.js';
import type {ApiPod} from './drift.js';
import {apiPodOf, obj, PODS_PREFIX, str} from './links.js';
import {readK8sObject} from './object.js';

/** Where kube-apiserver keeps Nodes (their old name). */
export const NODES_PREFIX = '/registry/minions/';

export interface ApiNode {
  key: string;
  name: string;
  /** The Ready condition's status as kubectl shows it: Ready, NotReady or Unknown (and ,SchedulingDisabled). */
  status: string;
  roles: string[];
  kubeletVersion: string;
  internalIP: string;
  createdAt?: number;
}

const list = (v: unknown) => (Array.isArray(v) ? v.map(obj) : []);

/** A stored Node as the fleet view needs it; undefined for a value that is not a readable Node. */
export function apiNodeOf(key: string, value: Uint8Array): ApiNode | undefined {
  const read = readK8sObject(value);
  if (!read.ok || read.kind !== 'Node') return undefined;
  const meta = obj(read.object.metadata);
  const spec = obj(read.object.spec);
  const status = obj(read.object.status);
  const ready = list(status.conditions).find((c) => c.type === 'Ready');
  // kubectl: True is Ready, False is NotReady, anything else (or none) Unknown.
  let shown = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  if (spec.unschedulable === true) shown += ',SchedulingDisabled';
  const labels = obj(meta.labels);
  const roles = Object.keys(labels)
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort();
  const created = Date.parse(str(meta.creationTimestamp));
  return {
    key,
    name: str(meta.name) || key.slice(NODES_PREFIX.length),
    status: shown,
    roles,
    kubeletVersion: str(obj(status.nodeInfo).kubeletVersion),
    internalIP: str(list(status.addresses).find((a) => a.type === 'InternalIP')?.address),
    createdAt: Number.isFinite(created) ? created : undefined,
  };
}

/** Every Node and every Pod, read at one revision (two paged ranges). */
export async function readNodesAndPods(client: EtcdClient, signal?: AbortSignal): Promise<{nodes: ApiNode[]; pods: ApiPod[]; revision: string}> {
  const nodes = await rangeKeys(client, NODES_PREFIX, {keysOnly: false, signal});
  const pods = await rangeKeys(client, PODS_PREFIX, {keysOnly: false, signal, revision: nodes.revision});
  const text = (k: KeyValue) => k.key.toString('latin1');
  return {
    nodes: (nodes.keys as KeyValue[]).map((k) => apiNodeOf(text(k), k.value)).filter((n): n is ApiNode => n !== undefined),
    pods: (pods.keys as KeyValue[]).map((k) => apiPodOf(text(k), k.value)).filter((p): p is ApiPod => p !== undefined),
    revision: nodes.revision,
  };
}

/** Pods bound to each node that are not terminal (kubectl describe node's "Non-terminated Pods"). */
export function podsPerNode(pods: ApiPod[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pods) {
    if (!p.nodeName || p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    counts.set(p.nodeName, (counts.get(p.nodeName) ?? 0) + 1);
  }
  return counts;
}
