import {formatBytes, shortDigest} from '../format.js';
import type {ResourceDef} from '../types.js';
import {cpuPercent, percentText} from './cpu.js';

export interface StatsRow {
  id: string;
  name: string;
  pod: string;
  cpu?: number;
  workingSet?: number;
  disk?: number;
  inodes?: number;
}

const bytes = (n: number | undefined) => (n === undefined ? '-' : formatBytes(n));

/** `crictl stats`: CRI ListContainerStats, one row per container of CRI's. */
export const stats: ResourceDef<StatsRow> = {
  id: 'stats',
  title: 'Container stats (CRI)',
  aliases: ['cstats', 'top'],
  daemon: 'cri',
  namespaced: false,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', grow: true, cell: (r) => r.name},
    {id: 'pod', header: 'POD', sortKey: 'O', cell: (r) => r.pod},
    {id: 'cpu', header: 'CPU %', sortKey: 'C', align: 'right', cell: (r) => percentText(r.cpu), sortValue: (r) => r.cpu ?? -1, descendingFirst: true},
    {id: 'mem', header: 'MEM (WS)', sortKey: 'M', align: 'right', cell: (r) => bytes(r.workingSet), sortValue: (r) => r.workingSet ?? -1, descendingFirst: true},
    {id: 'disk', header: 'DISK', sortKey: 'D', align: 'right', cell: (r) => bytes(r.disk), sortValue: (r) => r.disk ?? -1, descendingFirst: true},
    {id: 'inodes', header: 'INODES', sortKey: 'I', align: 'right', cell: (r) => (r.inodes === undefined ? '-' : String(r.inodes)), sortValue: (r) => r.inodes ?? -1, descendingFirst: true},
    {id: 'id', header: 'CONTAINER', cell: (r) => shortDigest(r.id)},
  ],
  defaultSort: {column: 'cpu', descending: true},
  rowKey: (r) => r.id,
  load: async (ctx) => {
    const now = Date.now();
    const list = await ctx.cri.listContainerStats();
    return list.map((s) => ({
      id: s.id,
      name: s.attempt ? `${s.name} (attempt ${s.attempt})` : s.name,
      pod: [s.labels['io.kubernetes.pod.namespace'], s.labels['io.kubernetes.pod.name']].filter(Boolean).join('/'),
      cpu: cpuPercent(ctx, s.id, s.cpu, s.cpu?.timestamp?.getTime() ?? now),
      workingSet: s.memory?.workingSetBytes,
      disk: s.writableLayer?.usedBytes,
      inodes: s.writableLayer?.inodesUsed,
    }));
  },
  actions: [],
};
