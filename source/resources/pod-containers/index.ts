import {criEvents} from '../event-scope.js';
import {confirm, describeAction} from '../confirm.js';
import {ageChangesAt, ageColumn, exitedText, shortDigest} from '../format.js';
import type {ResourceDef} from '../types.js';
import {CRI_NAMESPACE} from '../images/source.js';
import {imageLink} from '../links.js';
import {logsAction, shellAction} from '../containers/exec-and-logs.js';
import {actOnContainer, criTarget as target, type PodContainerAction} from '../pods/container-actions.js';
import {loadPodContainers, type PodContainerRow} from './source.js';

const picking: Record<PodContainerAction, string> = {logs: 'logs', shell: 'a shell', previous: "the previous attempt's logs"};

/** `Exited (137) OOMKilled 2m ago` as CRI's ContainerStatus tells it; other states as CRI names them. */
export function podContainerState(r: PodContainerRow, now: number): string {
  return r.state === 'exited' ? exitedText(r.exitCode, r.finishedAt, now, r.reason) : r.state;
}

/** How long CRI StopContainer waits before killing, as kubelet's default grace period. */
const STOP_TIMEOUT_S = 10;

export const podContainers: ResourceDef<PodContainerRow> = {
  id: 'pod-containers',
  title: 'Containers',
  aliases: [],
  daemon: 'cri',
  namespaced: false,
  nested: true,
  followsEvents: criEvents,
  viewTitle: (p) => `Containers(pod ${p.pod})${p.pick ? ` pick one for ${picking[p.pick as PodContainerAction] ?? p.pick} (enter)` : ''}`,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
    {
      id: 'state',
      header: 'STATE',
      sortKey: 'S',
      cell: podContainerState,
      sortValue: (r) => r.state,
      changesAt: (r, now) => (r.state === 'exited' ? ageChangesAt(r.finishedAt, now) : undefined),
    },
    {id: 'attempt', header: 'ATTEMPT', align: 'right', cell: (r) => String(r.attempt), sortValue: (r) => r.attempt},
    {id: 'restarts', header: 'RESTARTS', sortKey: 'T', align: 'right', cell: (r) => String(r.restarts), sortValue: (r) => r.restarts, descendingFirst: true},
    {id: 'image', header: 'IMAGE', sortKey: 'I', grow: true, cell: (r) => r.image},
    {id: 'id', header: 'ID', cell: (r) => shortDigest(r.id)},
    ageColumn((r) => r.createdAt),
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.id,
  labels: (r) => r.labels,
  load: (ctx, scope) => loadPodContainers(ctx, scope),
  actions: [
    {
      // Reached from l, s or p on a pod with several containers: enter does what was asked; else it shows the logs.
      id: 'pick',
      keys: ['enter'],
      label: 'pick (logs)',
      run: (r, env) => {
        const what = (env.scope.params.pick ?? 'logs') as PodContainerAction;
        const args = env.scope.params.args ? (JSON.parse(env.scope.params.args) as string[]) : env.args;
        return actOnContainer(what, r, {...env, args});
      },
    },
    logsAction(target),
    shellAction(target),
    // CRI keeps its images in k8s.io: the images table there, else the image described.
    {id: 'image', keys: ['i'], label: 'its image', run: (r, {ctx, scope}) => imageLink(ctx, scope.namespace, {namespace: CRI_NAMESPACE, image: r.image})},
    describeAction(
      (r) => `container ${r.name}`,
      async (r, {ctx}) => {
        const {status, info} = await ctx.cri.containerStatus(r.id, true);
        return {status, info};
      },
    ),
    {
      id: 'stop',
      keys: ['x'],
      label: 'stop',
      hint: true,
      dangerous: true,
      run: (r, {ctx, scope}) => {
        if (r.state !== 'running') return {kind: 'status', text: `container ${r.name} is not running (${r.state})`};
        return confirm(
          `Stop container ${r.name} of pod ${scope.params.pod}?`,
          [`container ${r.id}`, `image ${r.image}`, `SIGTERM, then SIGKILL after ${STOP_TIMEOUT_S} s (CRI StopContainer)`],
          'Stop',
          async () => {
            await ctx.cri.stopContainer(r.id, STOP_TIMEOUT_S);
            return `stopped container ${r.name}`;
          },
        );
      },
    },
    {
      id: 'remove',
      keys: ['ctrl+d'],
      label: 'remove',
      hint: true,
      dangerous: true,
      run: (r, {ctx, scope}) =>
        confirm(
          `Remove container ${r.name} of pod ${scope.params.pod}?`,
          [`container ${r.id} (${r.state})`, `image ${r.image}`, r.state === 'running' ? 'it is running: it is stopped first' : 'its record and log are removed'],
          'Remove',
          async () => {
            if (r.state === 'running') await ctx.cri.stopContainer(r.id, STOP_TIMEOUT_S);
            await ctx.cri.removeContainer(r.id);
            return `removed container ${r.name}`;
          },
        ),
    },
  ],
};
