// The runtime side of the cross-links and the drift check: CRI sandboxes and containers as plain
// records, the Kubernetes identity a sandbox carries, and the sandbox an API pod has here.
import type {CriClient} from '../cri/client.js';
import type {PodRecord} from '../cri/pods.js';
import type {RuntimePod} from './drift.js';

/** The pod a sandbox says it is: kubelet's labels, else the sandbox metadata (CRI keeps both). */
export function podIdentity(pod: Pick<PodRecord, 'labels' | 'name' | 'namespace' | 'uid'>): {namespace: string; name: string; uid: string} {
  return {
    namespace: pod.labels['io.kubernetes.pod.namespace'] || pod.namespace,
    name: pod.labels['io.kubernetes.pod.name'] || pod.name,
    uid: pod.labels['io.kubernetes.pod.uid'] || pod.uid,
  };
}

/** Every sandbox with its containers, and the names the runtime has for each image ID: two list calls and CRI's image list. */
export async function runtimePods(cri: CriClient): Promise<RuntimePod[]> {
  const [pods, containers, images] = await Promise.all([cri.listPodSandboxes(), cri.listContainers(), cri.listImages().catch(() => [])]);
  const names = new Map<string, string[]>();
  for (const img of images) names.set(img.id, [...img.repo_tags, ...img.repo_digests]);
  return pods.map((p) => ({
    id: p.id,
    ...podIdentity(p),
    ready: p.state === 'ready',
    attempt: p.attempt,
    createdAt: p.createdAt?.getTime() ?? 0,
    containers: containers
      .filter((c) => c.podSandboxId === p.id)
      .map((c) => ({id: c.id, name: c.name, attempt: c.attempt, image: c.image, imageNames: names.get(c.imageRef) ?? []})),
  }));
}

/**
 * The sandbox an API pod has on this node: the one with its uid (a ready one first, then the
 * newest), else one with its namespace and name under another uid (`uidMismatch`: the API object
 * was recreated).
 */
export async function sandboxOf(cri: CriClient, pod: {namespace: string; name: string; uid: string}): Promise<{pod: PodRecord; uidMismatch: boolean} | undefined> {
  const all = await cri.listPodSandboxes();
  const newest = (list: PodRecord[]) =>
    [...list].sort((a, b) => Number(b.state === 'ready') - Number(a.state === 'ready') || (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
  const same = newest(all.filter((p) => pod.uid && podIdentity(p).uid === pod.uid));
  if (same) return {pod: same, uidMismatch: false};
  const named = newest(all.filter((p) => podIdentity(p).namespace === pod.namespace && podIdentity(p).name === pod.name));
  return named ? {pod: named, uidMismatch: true} : undefined;
}
