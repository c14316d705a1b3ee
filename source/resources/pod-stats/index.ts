import {errorLine} from '../../data/errors.js';
import {formatBytes, shortDigest} from '../format.js';
import {cpuPercent, percentText} from '../stats/cpu.js';
import type {ResourceDef} from '../types.js';

export interface PodStatsRow {
  id: string;
  pod: string;
  cpu?: number;
  workingSet?: number;
  processes?: number;
  /** Why the runtime gave no figures for this pod (containerd 1.6 needs the pod's cgroup parent). */
  unsupported?: string;
}

/**
 * `crictl statsp`: CRI PodSandboxStats, asked per ready pod so that one pod the runtime cannot
 * measure does not hide the others (containerd 1.6 fails a pod created without a cgroup parent).
 */
export const podStats: ResourceDef<PodStatsRow> = {
  id: 'podstats',
  title: 'Pod stats (CRI)',
  aliases: ['pstats', 'statsp'],
  daemon: 'cri',
  namespaced: false,
  columns: [
    {id: 'pod', header: 'POD', sortKey: 'N', grow: true, cell: (r) => r.pod},
    {id: 'cpu', header: 'CPU %', sortKey: 'C', align: 'right', cell: (r) => (r.unsupported ? '' : percentText(r.cpu)), sortValue: (r) => r.cpu ?? -1, descendingFirst: true},
    {id: 'mem', header: 'MEM (WS)', sortKey: 'M', align: 'right', cell: (r) => (r.workingSet === undefined ? '' : formatBytes(r.workingSet)), sortValue: (r) => r.workingSet ?? -1, descendingFirst: true},
    {id: 'procs', header: 'PROCS', align: 'right', cell: (r) => (r.processes === undefined ? '' : String(r.processes))},
    {id: 'note', header: 'NOTE', cell: (r) => (r.unsupported ? `not supported here: ${r.unsupported}` : '')},
    {id: 'id', header: 'POD ID', cell: (r) => shortDigest(r.id)},
  ],
  defaultSort: {column: 'pod'},
  rowKey: (r) => r.id,
  load: async (ctx) => {
    const pods = await ctx.cri.listPodSandboxes({state: 'ready'});
    return Promise.all(
      pods.map(async (p): Promise<PodStatsRow> => {
        const pod = `${p.namespace}/${p.name}`;
        try {
          const s = await ctx.cri.podSandboxStats(p.id);
          const now = Date.now();
          return {id: p.id, pod, cpu: cpuPercent(ctx, `pod:${p.id}`, s?.cpu, now), workingSet: s?.memory?.workingSetBytes, processes: s?.processes};
        } catch (e) {
          return {id: p.id, pod, unsupported: errorLine(e)};
        }
      }),
    );
  },
  actions: [],
};
