import {ageChangesAt, ageColumn, exitedText, formatAge, formatBytes, shortDigest} from '../format.js';
import type {Column} from '../types.js';
import type {ContainerRow} from './source.js';

/**
 * The task's state as docker ps and nerdctl word it: `Exited (3) 2m ago` for a stopped task; a
 * container without a task says `no task` (containerd 1.6 cannot tell one that never ran from one
 * whose task was removed), with its last exit when undock's event feed saw it.
 */
export function statusText(r: ContainerRow, now: number): string {
  if (r.status === 'stopped') return exitedText(r.exitStatus, r.exitedAt, now);
  if (r.status === 'no task' && r.lastExit) return `no task (exited ${r.lastExit.status}${r.lastExit.at ? ` ${formatAge(r.lastExit.at, now)} ago` : ''})`;
  return r.status;
}

/** When the status text moves on by itself (its "2m ago"). */
function statusChangesAt(r: ContainerRow, now: number): number | undefined {
  if (r.status === 'stopped') return ageChangesAt(r.exitedAt, now);
  return r.status === 'no task' ? ageChangesAt(r.lastExit?.at, now) : undefined;
}

export const containerColumns: Column<ContainerRow>[] = [
  {id: 'namespace', header: 'NAMESPACE', sortKey: 'E', allNamespacesOnly: true, cell: (r) => r.namespace},
  {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
  {id: 'id', header: 'ID', cell: (r) => shortDigest(r.id)},
  {id: 'image', header: 'IMAGE', sortKey: 'I', grow: true, cell: (r) => r.image || '-'},
  {id: 'status', header: 'STATUS', sortKey: 'S', cell: statusText, sortValue: (r) => r.status, changesAt: statusChangesAt},
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
  ageColumn((r) => r.createdAt),
];
