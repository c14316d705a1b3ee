import path from 'node:path';
import {confirm} from '../confirm.js';
import {formatBytes} from '../format.js';
import type {Action, ActionResult, DataContext} from '../types.js';
import {UndockError} from '../../data/errors.js';
import {clusterInfo, type ClusterMember} from '../../data/etcd/cluster.js';
import {compact, defragment, hashKVAll, moveLeader, saveSnapshot, type HashKVReport} from '../../data/etcd/maintenance.js';

/** Where the last `h` left its hashes: the rows show them until the next one. */
export const HASHKV_MEMO = 'members:hashkv';

export type MemberRow = ClusterMember & {hashkv?: {hash?: string; revision: string; mismatch: boolean; error?: string}};

/** The hashes of the last `h`, joined to the rows of a load. */
export function withHashes(ctx: DataContext, members: ClusterMember[]): MemberRow[] {
  const report = ctx.memo.get(HASHKV_MEMO) as HashKVReport | undefined;
  if (!report) return members;
  return members.map((m) => {
    const h = report.members.find((x) => x.memberId === m.id);
    return h ? {...m, hashkv: {hash: h.hash, revision: report.revision, mismatch: report.mismatched.includes(m.id), error: h.error}} : m;
  });
}

export function hashCell(r: MemberRow): string {
  const h = r.hashkv;
  if (!h) return '-';
  if (h.error) return `? ${h.error}`;
  return h.mismatch ? `MISMATCH ${h.hash} @${h.revision}` : `${h.hash} @${h.revision}`;
}

/** The one defragment running, if any: the next waits for it (a member defragmenting stops serving). */
let defragmenting: string | undefined;

function sizes(s: {dbSize: number; dbSizeInUse: number}): string {
  return `${formatBytes(s.dbSize)} allocated, ${formatBytes(s.dbSizeInUse)} in use`;
}

function label(r: ClusterMember): string {
  return r.name || r.id;
}

async function current(ctx: DataContext, r: ClusterMember): Promise<{member: ClusterMember; leader?: ClusterMember; all: ClusterMember[]}> {
  const info = await clusterInfo(ctx.etcd);
  const member = info.members.find((m) => m.id === r.id);
  if (!member) throw new UndockError('not-found', `member ${label(r)} is no longer in the cluster`);
  return {member, leader: info.members.find((m) => m.id === info.leaderId), all: info.members};
}

export const maintenanceActions: Action<MemberRow>[] = [
  {
    id: 'defragment',
    keys: ['f'],
    label: 'defragment',
    hint: true,
    dangerous: true,
    disabledReason: (r) => (!r.endpoint ? 'the member has no client URL' : defragmenting ? `a defragment of ${defragmenting} is running: one member at a time` : undefined),
    run: async (r, {ctx, report}) => {
      const {member} = await current(ctx, r);
      if (!member.status) throw new UndockError('unavailable', `member ${label(r)} does not answer: ${member.error ?? 'no status'}`);
      const s = member.status;
      return confirm(
        `Defragment member ${label(member)}?`,
        [
          `${member.endpoint}: ${sizes(s)} (about ${formatBytes(Math.max(0, s.dbSize - s.dbSizeInUse))} to give back)`,
          'the member stops serving reads and writes while it rewrites its database file',
          'one member at a time, so the others keep the quorum; compact first (c) to free more',
        ],
        'Defragment',
        async () => {
          if (defragmenting) throw new UndockError('invalid', `a defragment of ${defragmenting} is running: one member at a time`);
          defragmenting = label(member);
          try {
            report(`defragmenting ${label(member)} (${formatBytes(s.dbSize)})…`);
            const {before, after} = await defragment(ctx.etcd, member.endpoint!);
            return `defragmented ${label(member)}: ${sizes(before)} before, ${sizes(after)} after`;
          } finally {
            defragmenting = undefined;
          }
        },
      );
    },
  },
  {
    id: 'compact',
    keys: ['c'],
    label: 'compact',
    hint: true,
    dangerous: true,
    run: async (r, {ctx}): Promise<ActionResult> => {
      const {member} = await current(ctx, r);
      const revision = member.status?.revision ?? '';
      return {
        kind: 'form',
        title: 'Compact the keyspace (drops old revisions on every member)',
        lines: [`the current revision is ${revision || 'unknown'}`],
        submitLabel: 'compact…',
        fields: [{id: 'revision', label: 'revision', value: revision, hint: 'history before this revision is dropped'}],
        submit: async (v) => {
          const at = (v.revision ?? '').trim();
          if (!/^[1-9]\d*$/.test(at)) throw new UndockError('invalid', `compact: not a revision: ${at || '(empty)'}`, 'give a whole number');
          if (revision && BigInt(at) > BigInt(revision)) throw new UndockError('invalid', `compact: revision ${at} is in the future (current ${revision})`);
          return confirm(
            `Compact at revision ${at}?`,
            [
              `every version of every key older than revision ${at} is dropped, for good, on every member`,
              `reads and watches at revisions below ${at} fail afterwards ("required revision has been compacted")`,
              `a key's history (h in the keys view) starts at ${at}; deleted keys leave no trace before it`,
              "each key's latest value stays; the DB file only shrinks once each member is defragmented (f)",
            ],
            'Compact',
            async () => {
              await compact(ctx.etcd, at);
              return `compacted at revision ${at}: history before it is gone`;
            },
          );
        },
      };
    },
  },
  {
    id: 'hashkv',
    keys: ['h'],
    label: 'hashkv',
    hint: true,
    run: async (_r, {ctx, report}): Promise<ActionResult> => {
      report('hashing every member at one revision…');
      const result = await hashKVAll(ctx.etcd);
      ctx.memo.set(HASHKV_MEMO, result);
      const failed = result.members.filter((m) => m.error);
      if (result.mismatched.length) {
        const odd = result.members.filter((m) => result.mismatched.includes(m.memberId)).map((m) => `${m.name || m.memberId} ${m.hash}`);
        return {kind: 'status', level: 'error', text: `HASH MISMATCH at revision ${result.revision}: ${odd.join(', ')} differ from the others (see HASHKV)`};
      }
      const ok = result.members.filter((m) => m.hash !== undefined);
      const agree = `${ok.length} member(s) agree at revision ${result.revision} (hash ${ok[0]?.hash ?? '-'})`;
      return failed.length ? {kind: 'status', level: 'error', text: `${agree}; no hash from ${failed.map((m) => m.name || m.memberId).join(', ')}`} : {kind: 'status', text: agree};
    },
  },
  {
    id: 'move-leader',
    keys: ['m'],
    label: 'move leader here',
    hint: true,
    dangerous: true,
    disabledReason: (r) => (r.isLeader ? 'it is the leader already' : r.isLearner ? 'a learner cannot lead' : !r.endpoint ? 'the member has not started' : undefined),
    run: async (r, {ctx}) => {
      const {member, leader} = await current(ctx, r);
      if (!leader?.endpoint) throw new UndockError('unavailable', 'the cluster has no leader to move from', 'is it healthy (quorum)?');
      if (leader.id === member.id) return {kind: 'status', text: `${label(member)} leads already`};
      return confirm(
        `Move the leader to ${label(member)}?`,
        [`from ${label(leader)} (${leader.id}) to ${label(member)} (${member.id})`, 'writes pause for the hand-over (well under a second on a healthy cluster)'],
        'Move leader',
        async () => {
          await moveLeader(ctx.etcd, leader.endpoint!, member.id);
          return `moved the leader from ${label(leader)} to ${label(member)}`;
        },
      );
    },
  },
  {
    id: 'snapshot',
    keys: ['w'],
    label: 'save snapshot',
    hint: true,
    disabledReason: (r) => (!r.endpoint ? 'the member has no client URL' : undefined),
    run: (r, {ctx, report}): ActionResult => ({
      kind: 'form',
      title: `Save a snapshot of member ${label(r)} to a file`,
      lines: [`as etcdctl snapshot save, from ${r.endpoint}; check it with etcdctl snapshot status FILE`],
      submitLabel: 'save',
      fields: [{id: 'file', label: 'file', value: '', hint: 'a new file, e.g. /var/backups/etcd-2026-12-01.db'}],
      submit: async (v) => {
        const file = path.resolve((v.file ?? '').trim() || '.');
        if (!(v.file ?? '').trim()) throw new UndockError('invalid', 'snapshot: no file named', 'type the path of a new file');
        const started = Date.now();
        const saved = await saveSnapshot(ctx.etcd, r.endpoint!, file, (done, total) =>
          report(`snapshot of ${label(r)}: ${formatBytes(done)} of ${formatBytes(total)} (${total ? Math.floor((done / total) * 100) : 0}%)`),
        );
        return {kind: 'status', text: `saved a snapshot of ${label(r)} to ${saved.file}: ${formatBytes(saved.bytes)} in ${((Date.now() - started) / 1000).toFixed(1)} s`};
      },
    }),
  },
];
