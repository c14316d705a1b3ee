import {podIdentity} from '../../data/k8s/runtime-side.js';
import {criEvents} from '../event-scope.js';
import {confirm, describeAction} from '../confirm.js';
import {apiObjectLink} from '../links.js';
import {ageColumn, shortDigest} from '../format.js';
import type {ResourceDef} from '../types.js';
import {podContainerActions} from './container-actions.js';
import {forwardAction} from './forward-action.js';
import {loadPods, type PodRow} from './source.js';

export const pods: ResourceDef<PodRow> = {
  id: 'pods',
  title: 'Pods',
  aliases: ['po', 'pod'],
  daemon: 'cri',
  namespaced: false,
  followsEvents: criEvents,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', grow: true, cell: (r) => r.name},
    {id: 'namespace', header: 'NAMESPACE', sortKey: 'E', cell: (r) => r.namespace},
    {id: 'state', header: 'STATE', sortKey: 'S', cell: (r) => r.state},
    {id: 'ip', header: 'IP', cell: (r) => r.ip},
    {id: 'ready', header: 'READY', sortKey: 'R', cell: (r) => `${r.ready}/${r.total}`, sortValue: (r) => r.ready - r.total},
    {id: 'restarts', header: 'RESTARTS', sortKey: 'T', align: 'right', cell: (r) => String(r.restarts), sortValue: (r) => r.restarts, descendingFirst: true},
    {id: 'id', header: 'POD ID', cell: (r) => shortDigest(r.id)},
    ageColumn((r) => r.createdAt),
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.id,
  labels: (r) => r.labels,
  load: (ctx) => loadPods(ctx),
  actions: [
    {
      id: 'containers',
      keys: ['enter'],
      label: 'containers',
      hint: true,
      run: (r) => ({kind: 'push', resource: 'pod-containers', params: {podId: r.id, pod: `${r.namespace}/${r.name}`}, crumb: r.name}),
    },
    ...podContainerActions,
    forwardAction,
    {
      id: 'api-object',
      keys: ['K'],
      label: 'API object (etcd)',
      hint: true,
      run: (r, {ctx}) => apiObjectLink(ctx, podIdentity(r)),
    },
    describeAction(
      (r) => `pod ${r.namespace}/${r.name}`,
      async (r, {ctx}) => {
        const {pod, info} = await ctx.cri.podSandboxStatus(r.id, true);
        return {pod, info};
      },
    ),
    {
      id: 'stop',
      keys: ['x'],
      label: 'stop pod',
      hint: true,
      dangerous: true,
      run: (r, {ctx}) =>
        confirm(
          `Stop pod ${r.namespace}/${r.name}?`,
          [`pod ${r.id}`, `its ${r.total} container(s) are stopped: ${r.containers.join(', ') || 'none'}`, 'the pod sandbox and its network are torn down', 'a kubelet on this node would start it again'],
          'Stop',
          async () => {
            await ctx.cri.stopPodSandbox(r.id);
            return `stopped pod ${r.namespace}/${r.name}`;
          },
        ),
    },
    {
      id: 'remove',
      keys: ['ctrl+d'],
      label: 'remove pod',
      hint: true,
      dangerous: true,
      run: (r, {ctx}) =>
        confirm(
          `Remove pod ${r.namespace}/${r.name}?`,
          [`pod ${r.id}`, `its ${r.total} container(s) are removed: ${r.containers.join(', ') || 'none'}`, 'the pod is stopped first if it is running'],
          'Remove',
          async () => {
            if (r.state === 'Ready') await ctx.cri.stopPodSandbox(r.id);
            await ctx.cri.removePodSandbox(r.id);
            ctx.memo.delete(`pod-ip:${r.id}`);
            return `removed pod ${r.namespace}/${r.name}`;
          },
        ),
    },
  ],
};
