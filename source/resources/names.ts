// What a person calls a containerd container, wherever one is named (the containers pane, events).

/** CRI marks its records: a pod's sandbox (the pause container) or one of its containers. */
export const CRI_KIND_LABEL = 'io.cri-containerd.kind';

export function isPodSandbox(labels: Record<string, string>): boolean {
  return labels[CRI_KIND_LABEL] === 'sandbox';
}

/**
 * nerdctl's name, a CRI pod sandbox as pod/namespace/name (its ID is a 64-hex hash nobody knows it
 * by), a CRI container's name in its pod, else the containerd ID.
 */
export function containerName(c: {id: string; labels: Record<string, string>}): string {
  const l = c.labels;
  if (l['nerdctl/name']) return l['nerdctl/name'];
  if (isPodSandbox(l) && l['io.kubernetes.pod.name']) return `pod/${l['io.kubernetes.pod.namespace'] ?? ''}/${l['io.kubernetes.pod.name']}`;
  return l['io.kubernetes.container.name'] || c.id;
}
