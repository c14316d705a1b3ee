import {listContainers} from '../../data/containerd/containers.js';
import {listTasks} from '../../data/containerd/tasks.js';
import {normalizeImage} from '../../data/k8s/image-names.js';
import {ageColumn, shortDigest} from '../format.js';
import {CRI_KIND_LABEL, containerName} from '../names.js';
import type {DataContext, LoadScope, ResourceDef} from '../types.js';

export interface UsedByRow {
  id: string;
  kind: 'container' | 'pod container' | 'pod sandbox';
  name: string;
  /** The Kubernetes pod (namespace/name) a CRI record belongs to. */
  pod: string;
  image: string;
  status: string;
  createdAt?: Date;
  labels: Record<string, string>;
}

const KINDS: Record<string, UsedByRow['kind']> = {sandbox: 'pod sandbox', container: 'pod container'};

/**
 * Every container of the namespace whose image is one of the image's names (its tags, repo digests,
 * ID): one containers list and one tasks list. In k8s.io that includes CRI's containers and the
 * pod sandboxes (the pause image), with their pods.
 */
async function loadUsedBy(ctx: DataContext, scope: LoadScope): Promise<UsedByRow[]> {
  const names = new Set(scope.params.names!.split('\n').filter(Boolean).map(normalizeImage));
  const [containers, tasks] = await Promise.all([listContainers(ctx.containerd, scope.namespace, [], {withSpec: false}), listTasks(ctx.containerd, scope.namespace)]);
  const status = new Map(tasks.map((t) => [t.id, t.status]));
  return containers
    .filter((c) => c.image && names.has(normalizeImage(c.image)))
    .map((c) => {
      const l = c.labels;
      const pod = l['io.kubernetes.pod.name'] ? `${l['io.kubernetes.pod.namespace'] ?? ''}/${l['io.kubernetes.pod.name']}` : '';
      return {id: c.id, kind: KINDS[l[CRI_KIND_LABEL] ?? ''] ?? 'container', name: containerName(c), pod, image: c.image, status: status.get(c.id) ?? 'no task', createdAt: c.createdAt, labels: l};
    });
}

/** `u` on an image: the containers and pods that use it, as k9s's used-by. */
export const usedBy: ResourceDef<UsedByRow> = {
  id: 'used-by',
  title: 'Used by',
  aliases: [],
  daemon: 'containerd',
  namespaced: true,
  nested: true,
  followsEvents: true,
  viewTitle: (p) => `Used by(${p.image})`,
  columns: [
    {id: 'kind', header: 'KIND', sortKey: 'K', cell: (r) => r.kind},
    {id: 'name', header: 'NAME', sortKey: 'N', grow: true, cut: 'middle', cell: (r) => r.name},
    {id: 'pod', header: 'POD', sortKey: 'P', cell: (r) => r.pod || '-'},
    {id: 'status', header: 'STATUS', sortKey: 'S', cell: (r) => r.status},
    {id: 'id', header: 'ID', cell: (r) => shortDigest(r.id)},
    ageColumn((r) => r.createdAt),
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.id,
  labels: (r) => r.labels,
  load: (ctx, scope) => loadUsedBy(ctx, scope),
  actions: [
    {
      id: 'container',
      keys: ['enter'],
      label: 'its container',
      hint: true,
      run: (r) => ({kind: 'push', resource: 'containers', params: {}, crumb: r.name, filter: shortDigest(r.id)}),
    },
  ],
};
