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

/**
 * Each container name's latest attempt: the kubelet keeps the previous attempt's record beside the
 * new one, so counting records would count a restart as another container.
 */
export function latestAttempts(containers: CriContainerRecord[]): CriContainerRecord[] {
  const byName = new Map<string, CriContainerRecord>();
  for (const c of containers) {
    const seen = byName.get(c.name);
    const newer = !seen || c.attempt > seen.attempt || (c.attempt === seen.attempt && (c.createdAt?.getTime() ?? 0) > (seen.createdAt?.getTime() ?? 0));
    if (newer) byName.set(c.name, c);
  }
  return [...byName.values()];
}

/** READY, RESTARTS and the container names as kubectl and crictl count them: per name, latest attempt. */
export function podRow(pod: PodRecord, containers: CriContainerRecord[], ip: string): PodRow {
  const latest = latestAttempts(containers);
  return {
    id: pod.id,
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
    state: pod.state === 'ready' ? 'Ready' : 'NotReady',
    ip,
    ready: latest.filter((c) => c.state === 'running').length,
    total: latest.length,
    restarts: latest.reduce((n, c) => n + c.restarts, 0),
    createdAt: pod.createdAt,
    labels: pod.labels,
    containers: latest.map((c) => c.name).sort(),
  };
}

/**
 * Two list calls. The IP is not in ListPodSandbox: it is asked once per pod (PodSandboxStatus)
 * and remembered, since a sandbox keeps its IP for its whole life. Only those asks wait: every
 * other row is made in one synchronous pass (an async step per pod cost more than the join).
 */
export async function loadPods(ctx: DataContext): Promise<PodRow[]> {
  const [pods, containers] = await Promise.all([ctx.cri.listPodSandboxes(), ctx.cri.listContainers()]);
  const byPod = new Map<string, CriContainerRecord[]>();
  for (const c of containers) {
    const list = byPod.get(c.podSandboxId);
    if (list) list.push(c);
    else byPod.set(c.podSandboxId, [c]);
  }
  const rows = new Array<PodRow>(pods.length);
  const asks: Array<Promise<void>> = [];
  const ready = new Set<string>();
  pods.forEach((pod, i) => {
    const own = byPod.get(pod.id) ?? [];
    // A sandbox's IP is valid only while it is ready: a stopped pod shows none (and forgets it).
    if (pod.state !== 'ready') {
      rows[i] = podRow(pod, own, '');
      return;
    }
    const key = `pod-ip:${pod.id}`;
    ready.add(key);
    const known = ctx.memo.get(key) as string | undefined;
    if (known !== undefined) {
      rows[i] = podRow(pod, own, known);
      return;
    }
    asks.push(
      ctx.cri
        .podSandboxStatus(pod.id, false)
        .then((s) => {
          const ip = s.pod.ip ?? '';
          ctx.memo.set(key, ip);
          rows[i] = podRow(pod, own, ip);
        })
        .catch(() => {
          rows[i] = podRow(pod, own, '');
        }),
    );
  });
  await Promise.all(asks);
  pruneMemo(ctx.memo, 'pod-ip:', ready);
  return rows;
}
