// The node drift check: what etcd says runs on this node against what the runtime runs. Pure
// functions over plain records, so every rule is a row of a table test.
import {sameImage} from './image-names.js';

/** A Pod as the API stores it, with what the check needs. */
export interface ApiPod {
  /** Its etcd key (/registry/pods/<ns>/<name>). */
  key: string;
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
  phase: string;
  /** Being deleted (metadata.deletionTimestamp): the kubelet may have torn it down already. */
  deleting: boolean;
  containers: Array<{name: string; image: string}>;
}

/** A CRI pod sandbox with its containers (every attempt; the check picks the latest per name). */
export interface RuntimePod {
  id: string;
  namespace: string;
  name: string;
  uid: string;
  ready: boolean;
  attempt: number;
  createdAt: number;
  containers: RuntimeContainer[];
}

export interface RuntimeContainer {
  id: string;
  name: string;
  attempt: number;
  /** The image the container was created from, and the names the runtime knows for its image ID. */
  image: string;
  imageNames: string[];
}

export type FindingKind = 'orphan' | 'recreated' | 'elsewhere' | 'missing' | 'not-ready' | 'image';

export interface Finding {
  kind: FindingKind;
  namespace: string;
  name: string;
  /** The API side, when there is one. */
  key?: string;
  apiUid?: string;
  /** The runtime side, when there is one. */
  sandboxId?: string;
  sandboxUid?: string;
  container?: string;
  /** What was seen, in a few words. */
  detail: string;
  /** What it means for the operator. */
  meaning: string;
}

export const KIND_LABEL: Record<FindingKind, string> = {
  orphan: 'orphan',
  recreated: 'uid mismatch',
  elsewhere: 'bound elsewhere',
  missing: 'missing here',
  'not-ready': 'not ready',
  image: 'image differs',
};

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The sandbox kubelet would treat as the pod's: a ready one, else the newest attempt. */
function current(sandboxes: RuntimePod[]): RuntimePod {
  return [...sandboxes].sort((a, b) => Number(b.ready) - Number(a.ready) || b.attempt - a.attempt || b.createdAt - a.createdAt)[0]!;
}

function latestContainers(pod: RuntimePod): RuntimeContainer[] {
  const byName = new Map<string, RuntimeContainer>();
  for (const c of pod.containers) {
    const seen = byName.get(c.name);
    if (!seen || c.attempt > seen.attempt) byName.set(c.name, c);
  }
  return [...byName.values()];
}

/**
 * Every way the two sides disagree for `node`, one finding each:
 * - orphan: a sandbox whose pod the API does not have (deleted while this node was away, or a pod
 *   not made by a kubelet); `recreated` when the API has the name under another uid (the object was
 *   deleted and created again: the sandbox belongs to the old one, the new one has none here);
 *   `elsewhere` when the API binds that very pod to another node;
 * - missing: bound here, not terminal, not being deleted, and no sandbox;
 * - not-ready: the sandbox is NotReady while the API says Running;
 * - image: a container runs another image than the spec names.
 */
export function compareNode(node: string, apiPods: ApiPod[], runtime: RuntimePod[]): Finding[] {
  const findings: Finding[] = [];
  const byUid = new Map<string, RuntimePod[]>();
  for (const s of runtime) byUid.set(s.uid, [...(byUid.get(s.uid) ?? []), s]);
  const apiByName = new Map(apiPods.map((p) => [`${p.namespace}/${p.name}`, p]));
  const apiUids = new Set(apiPods.map((p) => p.uid));
  const explained = new Set<string>();

  for (const [uid, sandboxes] of byUid) {
    if (apiUids.has(uid)) continue;
    const s = current(sandboxes);
    const api = apiByName.get(`${s.namespace}/${s.name}`);
    if (api && api.uid !== uid) {
      explained.add(api.uid);
      findings.push({
        kind: 'recreated', namespace: s.namespace, name: s.name, key: api.key, apiUid: api.uid, sandboxId: s.id, sandboxUid: uid,
        detail: `sandbox uid ${uid}, API uid ${api.uid}`,
        meaning: 'the API object was deleted and created again: this sandbox is the old pod\'s, the new one has no sandbox here',
      });
    } else {
      findings.push({
        kind: 'orphan', namespace: s.namespace, name: s.name, sandboxId: s.id, sandboxUid: uid,
        detail: `no /registry/pods/${s.namespace}/${s.name}`,
        meaning: 'no API object: deleted while the kubelet was away, or no kubelet made it; nothing here will stop it',
      });
    }
  }

  for (const p of apiPods) {
    const sandboxes = byUid.get(p.uid);
    if (!sandboxes) {
      if (p.nodeName !== node || TERMINAL.has(p.phase) || p.deleting || explained.has(p.uid)) continue;
      findings.push({
        kind: 'missing', namespace: p.namespace, name: p.name, key: p.key, apiUid: p.uid,
        detail: `bound to ${node}, phase ${p.phase || 'unknown'}, no sandbox`,
        meaning: 'the API expects it to run here; the runtime has no sandbox for it',
      });
      continue;
    }
    const s = current(sandboxes);
    const ids = {namespace: p.namespace, name: p.name, key: p.key, apiUid: p.uid, sandboxId: s.id, sandboxUid: s.uid};
    if (p.nodeName !== node) {
      findings.push({
        ...ids, kind: 'elsewhere',
        detail: p.nodeName ? `the API binds it to ${p.nodeName}` : 'the API has not bound it to a node',
        meaning: 'a sandbox of a pod that belongs to another node: the scheduler and this node disagree',
      });
      continue;
    }
    if (!s.ready && p.phase === 'Running') {
      findings.push({...ids, kind: 'not-ready', detail: 'sandbox NotReady, API phase Running', meaning: 'the API status is stale: the kubelet has not reported the stopped sandbox'});
    }
    if (!s.ready) continue;
    const spec = new Map(p.containers.map((c) => [c.name, c.image]));
    for (const c of latestContainers(s)) {
      const want = spec.get(c.name);
      if (want === undefined || sameImage(want, [c.image, ...c.imageNames])) continue;
      findings.push({
        ...ids, kind: 'image', container: c.name,
        detail: `${c.name}: runs ${c.image}, spec ${want}`,
        meaning: 'the container runs another image than the spec names (changed in place, or a tag moved)',
      });
    }
  }
  const order: FindingKind[] = ['orphan', 'recreated', 'elsewhere', 'missing', 'not-ready', 'image'];
  return findings.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

/**
 * Which node this is when --node is not given: the node the API binds this runtime's pods to (the
 * most common nodeName among the API pods whose uid a sandbox here carries), else the hostname as
 * the kubelet would register it (lower case).
 */
export function inferNode(apiPods: ApiPod[], runtime: RuntimePod[], hostname: string): {node: string; from: 'pods' | 'hostname'} {
  const uids = new Set(runtime.map((s) => s.uid));
  const votes = new Map<string, number>();
  for (const p of apiPods) if (p.nodeName && uids.has(p.uid)) votes.set(p.nodeName, (votes.get(p.nodeName) ?? 0) + 1);
  const best = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best ? {node: best[0], from: 'pods'} : {node: hostname.toLowerCase(), from: 'hostname'};
}
