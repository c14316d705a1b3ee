import {formatBytes} from '../format.js';
import {describeAction} from '../confirm.js';
import type {ResourceDef} from '../types.js';
import {UndockError} from '../../data/errors.js';
import {clusterInfo} from '../../data/etcd/cluster.js';
import {hashCell, maintenanceActions, withHashes, type MemberRow} from './maintenance.js';

export type {MemberRow};

/**
 * Why a member is not healthy, short enough for a cell: the socket error code or "no answer"
 * rather than the whole message (`d` shows that).
 */
export function healthText(m: MemberRow): string {
  if (m.healthy) return 'ok';
  if (m.status?.errors.length) return `alarm: ${m.status.errors.join('; ')}`;
  const error = m.error ?? '';
  const code = /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)\b/.exec(error);
  if (code) return `unreachable (${code[1]})`;
  if (/did not answer in time/.test(error)) return 'no answer in time (no leader or quorum?)';
  if (!error) return 'unhealthy';
  // drop the "etcd ... (probing <url>): " lead-in: the row already says which member
  return error.replace(/^etcd[^(]*\(probing [^)]*\):\s*/, '');
}

function statusCell(m: MemberRow, pick: (s: NonNullable<MemberRow['status']>) => string): string {
  return m.status ? pick(m.status) : '-';
}

export const members: ResourceDef<MemberRow> = {
  id: 'members',
  title: 'Members',
  // the endpoint status of every member, as `etcdctl endpoint status --cluster` has it
  aliases: ['member', 'mem', 'endpoints', 'ep'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'id', header: 'ID', sortKey: 'I', cell: (r) => r.id},
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name || '(not started)'},
    {id: 'leader', header: 'LEADER', sortKey: 'L', cell: (r) => (r.isLeader ? '*' : r.isLearner ? 'learner' : ''), sortValue: (r) => (r.isLeader ? 0 : r.isLearner ? 2 : 1)},
    {id: 'peer-urls', header: 'PEER URLS', cell: (r) => r.peerUrls.join(',')},
    {id: 'client-urls', header: 'CLIENT URLS', cell: (r) => r.clientUrls.join(',') || '-'},
    {id: 'raft-term', header: 'RAFT TERM', sortKey: 'T', align: 'right', cell: (r) => statusCell(r, (s) => s.raftTerm), sortValue: (r) => Number(r.status?.raftTerm ?? -1)},
    {id: 'raft-index', header: 'RAFT INDEX', sortKey: 'X', align: 'right', cell: (r) => statusCell(r, (s) => s.raftIndex), sortValue: (r) => Number(r.status?.raftIndex ?? -1)},
    {id: 'db-size', header: 'DB SIZE', sortKey: 'S', align: 'right', cell: (r) => formatBytes(r.status?.dbSize), sortValue: (r) => r.status?.dbSize ?? -1, descendingFirst: true},
    {id: 'db-in-use', header: 'IN USE', sortKey: 'U', align: 'right', cell: (r) => formatBytes(r.status?.dbSizeInUse), sortValue: (r) => r.status?.dbSizeInUse ?? -1, descendingFirst: true},
    {id: 'version', header: 'VERSION', sortKey: 'V', cell: (r) => statusCell(r, (s) => s.version)},
    {id: 'health', header: 'HEALTH', sortKey: 'H', cell: healthText},
    {id: 'hashkv', header: 'HASHKV (h)', grow: true, cell: hashCell},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.id,
  load: async (ctx) => withHashes(ctx, (await clusterInfo(ctx.etcd)).members),
  actions: [
    ...maintenanceActions,
    describeAction(
      (r) => `member ${r.name || r.id}`,
      async (r, {ctx}) => {
        // asked again now, so status and health are not one relist old
        const m = (await clusterInfo(ctx.etcd)).members.find((x) => x.id === r.id);
        if (!m) throw new UndockError('not-found', `member ${r.name || r.id} is no longer in the cluster`);
        return {
          member: {id: m.id, name: m.name, leader: m.isLeader, learner: m.isLearner, peerUrls: m.peerUrls, clientUrls: m.clientUrls},
          health: m.healthy ? 'ok' : (m.error ?? healthText(m)),
          status: m.status ?? 'not available',
        };
      },
    ),
  ],
};
