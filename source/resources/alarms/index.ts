import {confirm} from '../confirm.js';
import type {ResourceDef} from '../types.js';
import {ALARM_MEANING, disarmAlarm, listAlarms, type EtcdAlarm} from '../../data/etcd/alarms.js';
import {memberList} from '../../data/etcd/cluster.js';

export interface AlarmRow extends EtcdAlarm {
  /** the member's name, when it is still in the cluster */
  memberName: string;
}

async function loadAlarms(ctx: Parameters<ResourceDef<AlarmRow>['load']>[0]): Promise<AlarmRow[]> {
  const alarms = await listAlarms(ctx.etcd);
  if (alarms.length === 0) return [];
  const names = new Map((await memberList(ctx.etcd)).members.map((m) => [m.id, m.name]));
  return alarms.map((a) => ({...a, memberName: names.get(a.memberId) ?? '(not a member)'}));
}

/** What the disarm dialog says: which alarm, what it meant, and why it may come straight back. */
export function disarmLines(a: AlarmRow): string[] {
  const lines = [`${a.alarm} raised by member ${a.memberName} (${a.memberId})`];
  if (ALARM_MEANING[a.alarm]) lines.push(`meaning: ${ALARM_MEANING[a.alarm]}`);
  if (a.alarm === 'NOSPACE') {
    lines.push('it is raised again at the next write unless space was freed first:');
    lines.push('compact old revisions (c in :members), then defragment each member (f), then disarm');
  }
  if (a.alarm === 'CORRUPT') lines.push('disarming does not repair the member: compare hashes (h in :members) and replace the odd one out');
  return lines;
}

export const alarms: ResourceDef<AlarmRow> = {
  id: 'alarms',
  title: 'Alarms',
  aliases: ['alarm'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'alarm', header: 'ALARM', sortKey: 'A', cell: (r) => r.alarm},
    {id: 'member', header: 'MEMBER', sortKey: 'M', cell: (r) => r.memberName},
    {id: 'member-id', header: 'MEMBER ID', cell: (r) => r.memberId},
    {id: 'meaning', header: 'MEANING', grow: true, cell: (r) => ALARM_MEANING[r.alarm] ?? ''},
  ],
  defaultSort: {column: 'alarm'},
  rowKey: (r) => `${r.alarm}/${r.memberId}`,
  load: (ctx) => loadAlarms(ctx),
  actions: [
    {
      id: 'disarm',
      keys: ['ctrl+d'],
      label: 'disarm',
      hint: true,
      dangerous: true,
      run: (r, {ctx}) =>
        confirm(`Disarm the ${r.alarm} alarm of member ${r.memberName}?`, disarmLines(r), 'Disarm', async () => {
          await disarmAlarm(ctx.etcd, r);
          return `disarmed ${r.alarm} of member ${r.memberName} (${r.memberId})`;
        }),
    },
  ],
};
