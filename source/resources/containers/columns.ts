import {formatAge, formatBytes, shortDigest} from '../format.js';
import type {Column} from '../types.js';
import type {ContainerRow} from './source.js';

export function statusText(r: ContainerRow): string {
  if (r.status === 'stopped' && r.exitStatus !== undefined) return `stopped(${r.exitStatus})`;
  return r.status;
}

export const containerColumns: Column<ContainerRow>[] = [
  {id: 'namespace', header: 'NAMESPACE', sortKey: 'E', allNamespacesOnly: true, cell: (r) => r.namespace},
  {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
  {id: 'id', header: 'ID', cell: (r) => shortDigest(r.id)},
  {id: 'image', header: 'IMAGE', sortKey: 'I', grow: true, cell: (r) => r.image || '-'},
  {id: 'status', header: 'STATUS', sortKey: 'S', cell: statusText},
  {id: 'pid', header: 'PID', align: 'right', cell: (r) => (r.pid ? String(r.pid) : ''), sortValue: (r) => r.pid ?? 0},
  {
    id: 'cpu',
    header: 'CPU%',
    sortKey: 'C',
    align: 'right',
    cell: (r) => (r.cpuPercent === undefined ? '' : r.cpuPercent.toFixed(1)),
    sortValue: (r) => r.cpuPercent ?? -1,
    descendingFirst: true,
  },
  {
    id: 'mem',
    header: 'MEM',
    sortKey: 'M',
    align: 'right',
    cell: (r) => (r.memoryBytes === undefined ? '' : formatBytes(r.memoryBytes)),
    sortValue: (r) => r.memoryBytes ?? -1,
    descendingFirst: true,
  },
  {id: 'age', header: 'AGE', sortKey: 'A', align: 'right', cell: (r, now) => formatAge(r.createdAt, now), sortValue: (r) => -(r.createdAt?.getTime() ?? 0)},
];
