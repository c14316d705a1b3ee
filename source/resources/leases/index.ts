import {confirm, describeAction} from '../confirm.js';
import type {ResourceDef} from '../types.js';
import {UndockError} from '../../data/errors.js';
import type {EtcdClient} from '../../data/etcd/client.js';
import {leases as listLeases, revokeLease} from '../../data/etcd/cluster.js';

export interface LeaseRow {
  /** hex, zero-padded, as `etcdctl lease list` prints it */
  id: string;
  grantedTtl: number;
  /** seconds left when the list was read; -1 once expired */
  remainingTtl: number;
  /** the attached keys, as text */
  keys: string[];
}

/** How many attached keys the KEYS column names before "+N". */
const KEYS_SHOWN = 3;
/** How many keys the revoke dialog names one per line (it does not scroll; `d` lists them all). */
const DIALOG_KEYS = 12;

/** A key as text: UTF-8 when it is printable, otherwise with the odd bytes escaped (\xNN). */
export function keyText(key: Buffer): string {
  const utf8 = key.toString('utf8');
  if (Buffer.from(utf8, 'utf8').equals(key) && !/[\x00-\x1f\x7f\ufffd]/.test(utf8)) return utf8;
  let out = '';
  for (const b of key) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

export function ttlText(seconds: number): string {
  return seconds < 0 ? 'expired' : String(seconds);
}

/** The first few keys, then how many more: "/a, /b, /c +2". */
export function keysSummary(keys: string[], shown = KEYS_SHOWN): string {
  if (keys.length === 0) return '-';
  const head = keys.slice(0, shown).join(', ');
  return keys.length > shown ? `${head} +${keys.length - shown}` : head;
}

async function loadLeases(etcd: EtcdClient): Promise<LeaseRow[]> {
  const found = await listLeases(etcd);
  // etcd hands a lease's keys over in no fixed order: sorted, the row reads well and stays equal between relists
  return found.map((l) => ({id: l.id, grantedTtl: l.grantedTtl, remainingTtl: l.remainingTtl, keys: [...l.keys].sort(Buffer.compare).map(keyText)}));
}

/** The lease as etcd holds it now (a row can be one relist old). */
async function currentLease(etcd: EtcdClient, id: string): Promise<LeaseRow> {
  const lease = (await loadLeases(etcd)).find((l) => l.id === id);
  if (!lease) throw new UndockError('not-found', `lease ${id} no longer exists (expired or revoked)`);
  return lease;
}

/** What the revoke dialog says: the lease, then exactly which keys go with it. */
export function revokeLines(lease: LeaseRow): string[] {
  const lines = [`lease ${lease.id} (granted TTL ${lease.grantedTtl} s, ${ttlText(lease.remainingTtl)}${lease.remainingTtl < 0 ? '' : ' s left'})`];
  if (lease.keys.length === 0) {
    lines.push('no keys are attached: no key is deleted');
    return lines;
  }
  lines.push(`etcd deletes the ${lease.keys.length} key(s) attached to it:`);
  const named = lease.keys.length > DIALOG_KEYS ? lease.keys.slice(0, DIALOG_KEYS - 1) : lease.keys;
  for (const k of named) lines.push(`  ${k}`);
  if (named.length < lease.keys.length) lines.push(`  ... and ${lease.keys.length - named.length} more (d lists them all)`);
  return lines;
}

export const leases: ResourceDef<LeaseRow> = {
  id: 'leases',
  title: 'Leases',
  aliases: ['lease'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'id', header: 'ID', sortKey: 'I', cell: (r) => r.id},
    {id: 'granted', header: 'GRANTED TTL', sortKey: 'T', align: 'right', cell: (r) => String(r.grantedTtl), sortValue: (r) => r.grantedTtl},
    {id: 'remaining', header: 'REMAINING TTL', sortKey: 'R', align: 'right', cell: (r) => ttlText(r.remainingTtl), sortValue: (r) => r.remainingTtl},
    {id: 'count', header: 'KEYS', sortKey: 'K', align: 'right', cell: (r) => String(r.keys.length), sortValue: (r) => r.keys.length, descendingFirst: true},
    {id: 'keys', header: 'ATTACHED KEYS', grow: true, cell: (r) => keysSummary(r.keys)},
  ],
  defaultSort: {column: 'id'},
  rowKey: (r) => r.id,
  load: (ctx) => loadLeases(ctx.etcd),
  actions: [
    describeAction(
      (r) => `lease ${r.id}`,
      async (r, {ctx}) => {
        const l = await currentLease(ctx.etcd, r.id);
        return {id: l.id, decimalId: BigInt(`0x${l.id}`).toString(), grantedTtl: l.grantedTtl, remainingTtl: l.remainingTtl, keyCount: l.keys.length, keys: l.keys};
      },
    ),
    {
      id: 'revoke',
      keys: ['ctrl+d'],
      label: 'revoke lease',
      hint: true,
      dangerous: true,
      run: async (r, {ctx}) => {
        // The dialog names the keys attached now, not those of the last relist.
        const lease = await currentLease(ctx.etcd, r.id);
        return confirm(`Revoke lease ${lease.id}?`, revokeLines(lease), 'Revoke', async () => {
          const {revision} = await revokeLease(ctx.etcd, lease.id);
          return `revoked lease ${lease.id} and its ${lease.keys.length} key(s) (revision ${revision})`;
        });
      },
    },
  ],
};
