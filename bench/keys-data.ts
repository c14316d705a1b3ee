// Writing and removing bench keyspaces fast: batched txns from Node, several in flight; deletes in
// chunks (a million keys in one DeleteRange outlasts etcdctl's default 5 s command timeout).
import type {IRequestOp} from 'etcd3';
import type {EtcdClient} from '../source/data/etcd/client.js';
import {prefixRange} from '../source/data/etcd/keys.js';
import {mapLimit, runCli} from './helpers.js';

const TXN_OPS = 128; // etcd's default --max-txn-ops
const TXNS_IN_FLIGHT = 16;

/** Puts every key (a short value each) in txns of 128 puts, 16 txns in flight. */
export async function putAll(writer: EtcdClient, keys: readonly string[], value = (i: number) => `v${i}`): Promise<void> {
  const batches: IRequestOp[][] = [];
  for (let i = 0; i < keys.length; i += TXN_OPS) {
    batches.push(keys.slice(i, i + TXN_OPS).map((key, j) => ({request_put: {key: Buffer.from(key), value: Buffer.from(value(i + j))}})));
  }
  await mapLimit(batches, TXNS_IN_FLIGHT, (success) => writer.write('the bench', (etcd) => etcd.kv.txn({compare: [], success, failure: []})));
}

/** Deletes every key under each prefix, one DeleteRange a prefix (keep each to a few hundred thousand keys). */
export async function deletePrefixes(writer: EtcdClient, prefixes: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const p of prefixes) {
    const res = await writer.write('the bench', (etcd) => etcd.kv.deleteRange(prefixRange(p)));
    deleted += Number(res.deleted);
  }
  return deleted;
}

/**
 * Compacts etcd's history up to now, physically: etcd 3.4 keeps a deleted key in its index until a
 * compaction, and a range (the key tree's first level) walks those too. Without this, a bench that
 * ran after one that wrote and deleted a million keys would measure that million.
 */
export async function compactNow(writer: EtcdClient): Promise<void> {
  const revision = (await writer.reads.range({key: Buffer.from('\0'), count_only: true})).header.revision;
  await writer.write('the bench', (etcd) => etcd.kv.compact({revision, physical: true}));
}

/** Keys under a prefix, by etcd's own count (a count-only range). */
export async function countUnder(client: EtcdClient, prefix: string): Promise<number> {
  return Number((await client.reads.range({...prefixRange(prefix), count_only: true})).count);
}

/** `etcdctl get --prefix P --keys-only`: how many keys it printed. */
export function etcdctlKeys(prefix: string): number {
  const out = runCli('etcdctl', ['get', '--prefix', prefix, '--keys-only']);
  let n = 0;
  for (const line of out.split('\n')) if (line) n++;
  return n;
}

/**
 * `etcdctl get "" --from-key --limit 1 --keys-only`: one key, but etcd 3.4 walks its index of the
 * whole keyspace to count the range (as for the key tree's first request): the floor of the first level.
 */
export function etcdctlCountWalk(): number {
  const out = runCli('etcdctl', ['get', '', '--from-key', '--limit', '1', '--keys-only']);
  return out.split('\n').filter(Boolean).length;
}
