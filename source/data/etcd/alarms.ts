import {UndockError} from '../errors.js';
import type {EtcdClient} from './client.js';
import {deadline, etcdFailure, hexId, hexToDecimal} from './keys.js';

export interface EtcdAlarm {
  /** hex, as etcdctl prints member IDs elsewhere */
  memberId: string;
  /** NOSPACE, CORRUPT, or whatever a newer etcd raises */
  alarm: string;
}

/** What each alarm means for the cluster, for the header, the view and the disarm dialog. */
export const ALARM_MEANING: Record<string, string> = {
  NOSPACE: 'the backend reached its quota (--quota-backend-bytes): etcd refuses every write but deletes',
  CORRUPT: 'a member found its data differs from the others: etcd refuses reads and writes on it',
};

/**
 * Alarms as Maintenance.Status reports them ("memberID:123 alarm:NOSPACE "): every member holds
 * the whole alarm list, and Status is answered locally. Maintenance.Alarm GET would do, but in
 * etcd 3.4 it is a raft proposal (a WAL entry, the raft index moves) on every call.
 */
export function parseStatusAlarms(errors: string[]): EtcdAlarm[] {
  const out: EtcdAlarm[] = [];
  for (const e of errors) {
    const m = /memberID:(\d+)\s+alarm:([A-Z_]+)/.exec(e);
    if (m) out.push({memberId: hexId(m[1]), alarm: m[2]!});
  }
  return out.sort((a, b) => a.alarm.localeCompare(b.alarm) || a.memberId.localeCompare(b.memberId));
}

/** The alarms raised in the cluster now, from one member's status (any member will do). */
export async function listAlarms(client: EtcdClient, timeoutMs = 5_000): Promise<EtcdAlarm[]> {
  try {
    return parseStatusAlarms((await client.reads.status(deadline(timeoutMs))).errors ?? []);
  } catch (e) {
    throw etcdFailure(e, client, 'reading alarms');
  }
}

const ALARM_TYPES: Record<string, 'Nospace' | 'Corrupt'> = {NOSPACE: 'Nospace', CORRUPT: 'Corrupt'};

/**
 * Disarms one alarm (etcdctl alarm disarm disarms them all). etcd matches the member exactly: an
 * alarm raised by member X stays unless X is named. NOSPACE comes back at the next write unless
 * space was freed (compact, then defragment).
 */
export async function disarmAlarm(client: EtcdClient, alarm: EtcdAlarm): Promise<void> {
  const type = ALARM_TYPES[alarm.alarm];
  if (!type) throw new UndockError('invalid', `undock cannot disarm a ${alarm.alarm} alarm`, 'use etcdctl alarm disarm');
  await client.write(`disarming the ${alarm.alarm} alarm of member ${alarm.memberId}`, async (etcd) => {
    try {
      await etcd.maintenance.alarm({action: 'Deactivate', memberID: hexToDecimal(alarm.memberId), alarm: type}, deadline());
    } catch (e) {
      throw etcdFailure(e, client, `disarming the ${alarm.alarm} alarm`);
    }
  });
  client.alarmsChanged();
}
