import {pruneMemo} from '../memo.js';
import type {CriContainerRecord} from '../../data/cri/containers.js';
import type {PodRecord} from '../../data/cri/pods.js';
import type {DataContext} from '../types.js';

export interface PodRow {
  id: string;
  name: string;
  namespace: string;
  uid: string;
  state: string;
  ip: string;
  ready: number;
  total: number;
  restarts: number;
  createdAt?: Date;
  labels: Record<string, string>;
  containers: string[];
}

export function podRow(pod: PodRecord, containers: CriContainerRecord[], ip: string): PodRow {
  return {
    id: pod.id,
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
    state: pod.state === 'ready' ? 'Ready' : 'NotReady',
    ip,
    ready: containers.filter((c) => c.state === 'running').length,
    total: containers.length,
    restarts: containers.reduce((n, c) => n + c.restarts, 0),
    createdAt: pod.createdAt,
    labels: pod.labels,
    containers: containers.map((c) => c.name),
  };
}

/**
 * Two list calls. The IP is not in ListPodSandbox: it is asked once per pod (PodSandboxStatus)
 * and remembered, since a sandbox keeps its IP for its whole life.
 */
export async function loadPods(ctx: DataContext): Promise<PodRow[]> {
  const [pods, containers] = await Promise.all([ctx.cri.listPodSandboxes(), ctx.cri.listContainers()]);
  const byPod = new Map<string, CriContainerRecord[]>();
  for (const c of containers) {
    const list = byPod.get(c.podSandboxId) ?? [];
    list.push(c);
    byPod.set(c.podSandboxId, list);
  }
  const rows = await Promise.all(
    pods.map(async (pod) => {
      const key = `pod-ip:${pod.id}`;
      // A sandbox's IP is valid only while it is ready: a stopped pod shows none (and forgets it).
      if (pod.state !== 'ready') {
        ctx.memo.delete(key);
        return podRow(pod, byPod.get(pod.id) ?? [], '');
      }
      let ip = ctx.memo.get(key) as string | undefined;
      if (ip === undefined) {
        ip = await ctx.cri
          .podSandboxStatus(pod.id, false)
          .then((s) => s.pod.ip ?? '')
          .catch(() => undefined);
        if (ip !== undefined) ctx.memo.set(key, ip);
      }
      return podRow(pod, byPod.get(pod.id) ?? [], ip ?? '');
    }),
  );
  pruneMemo(ctx.memo, 'pod-ip:', new Set(pods.filter((p) => p.state === 'ready').map((p) => `pod-ip:${p.id}`)));
  return rows;
}
