import type {Etcd3, ICompare, IRequestOp} from 'etcd3';
import {UndockError} from '../errors.js';
import type {EtcdClient} from './client.js';
import {
  EtcdCompactedError,
  countPrefix,
  deadline,
  etcdFailure,
  getValue,
  isCompactedMessage,
  leaseId,
  prefixRange,
  toBuffer,
  toKeyValue,
  type KeyValue,
} from './keys.js';

export type CasResult =
  | {ok: true; revision: string}
  /** Nothing was written. `current` is the key as it is now; absent when the key does not exist. */
  | {ok: false; current?: {value: Buffer; modRevision: string; version: number}};

/**
 * Writes `value` only if the key's mod_revision is still `expectedModRevision` ('0': the key must not
 * exist), in one transaction: compare mod_revision, then put; otherwise read the key back. An existing
 * key keeps its lease (ignore_lease), as an editor should not silently detach it.
 */
export async function putIfUnchanged(
  client: EtcdClient,
  key: string | Buffer,
  value: Buffer,
  expectedModRevision: string,
): Promise<CasResult> {
  const action = `writing ${String(key)}`;
  return client.write(action, (etcd) => {
    const k = toBuffer(key);
    const exists = expectedModRevision !== '0';
    return cas(client, etcd, k, {key: k, value, ...(exists ? {ignore_lease: true} : {})}, expectedModRevision, action);
  });
}

async function cas(
  client: EtcdClient,
  etcd: Etcd3,
  key: Buffer,
  put: NonNullable<IRequestOp['request_put']>,
  expectedModRevision: string,
  action: string,
): Promise<CasResult> {
  const compare: ICompare[] = [{key, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision}];
  try {
    const res = await etcd.kv.txn({compare, success: [{request_put: put}], failure: [{request_range: {key}}]}, deadline());
    if (res.succeeded) return {ok: true, revision: res.header.revision};
    const kv = res.responses[0]?.response_range?.kvs[0];
    return kv ? {ok: false, current: {value: kv.value, modRevision: kv.mod_revision, version: Number(kv.version)}} : {ok: false};
  } catch (e) {
    throw etcdFailure(e, client, action);
  }
}

/**
 * Creates a key that must not exist yet; with `ttlSeconds`, under a new lease of that TTL (the lease
 * is revoked again when the key turned out to exist). Returns the lease ID (hex) when one was made.
 */
export async function createKey(
  client: EtcdClient,
  key: string | Buffer,
  value: Buffer,
  ttlSeconds?: number,
): Promise<CasResult & {lease?: string}> {
  const action = `creating ${String(key)}`;
  return client.write(action, async (etcd) => {
    const k = toBuffer(key);
    if (ttlSeconds === undefined) return cas(client, etcd, k, {key: k, value}, '0', action);
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new UndockError('invalid', `a TTL is a whole number of seconds above 0, not ${ttlSeconds}`);
    let granted: string;
    try {
      granted = (await etcd.leaseClient.leaseGrant({TTL: ttlSeconds}, deadline())).ID;
    } catch (e) {
      throw etcdFailure(e, client, `granting a ${ttlSeconds} s lease`);
    }
    const revoke = () => etcd.leaseClient.leaseRevoke({ID: granted}, deadline()).catch(() => undefined);
    const result = await cas(client, etcd, k, {key: k, value, lease: granted}, '0', action).catch(async (e) => {
      await revoke();
      throw e;
    });
    if (!result.ok) {
      await revoke();
      return result;
    }
    return {...result, lease: leaseId(granted)};
  });
}

/**
 * Deletes one key; with `expectedModRevision`, only if it is unchanged since (else nothing is deleted
 * and `deleted` is 0). Returns how many keys went (0 or 1) and the revision after.
 */
export async function deleteKey(client: EtcdClient, key: string | Buffer, expectedModRevision?: string): Promise<{deleted: number; revision: string}> {
  const action = `deleting ${String(key)}`;
  return client.write(action, async (etcd) => {
    const k = toBuffer(key);
    try {
      if (expectedModRevision === undefined) {
        const r = await etcd.kv.deleteRange({key: k}, deadline());
        return {deleted: Number(r.deleted), revision: r.header.revision};
      }
      const r = await etcd.kv.txn(
        {compare: [{key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision}], success: [{request_delete_range: {key: k}}], failure: []},
        deadline(),
      );
      return {deleted: r.succeeded ? Number(r.responses[0].response_delete_range.deleted) : 0, revision: r.header.revision};
    } catch (e) {
      throw etcdFailure(e, client, action);
    }
  });
}

export type DeletePrefixResult =
  | {ok: true; deleted: number; revision: string}
  /** Nothing was deleted: the prefix changed since it was counted; `count` is what it holds now. */
  | {ok: false; count: number; revision: string};

/**
 * Deletes the keys under `prefix` that were counted, and nothing else. The count is taken at a
 * revision R (`opts.countedAt`, the revision the caller counted or listed at, or a fresh count-only
 * range that must equal `expectedCount`); then one transaction deletes the prefix only if every key
 * in it still has mod_revision <= R (a Compare over the whole range: a key added or changed since R
 * makes it fail, and nothing is deleted). Keys someone else deleted since R are simply not there:
 * `deleted` may then be below `expectedCount`, but it is never above it.
 */
export async function deletePrefix(
  client: EtcdClient,
  prefix: string | Buffer,
  expectedCount: number,
  opts: {countedAt?: string} = {},
): Promise<DeletePrefixResult> {
  const action = `deleting the keys under ${String(prefix)}`;
  // Refused before the count too: under --readonly the answer is the refusal, not a changed count.
  return client.write(action, async (etcd) => {
    if (toBuffer(prefix).length === 0) throw new UndockError('invalid', 'refusing to delete the whole keyspace', 'choose a prefix');
    let countedAt = opts.countedAt;
    if (countedAt === undefined) {
      const now = await countPrefix(client, prefix);
      if (now.count !== expectedCount) return {ok: false, count: now.count, revision: now.revision};
      countedAt = now.revision;
    }
    const range = prefixRange(prefix);
    const untouchedSince = (BigInt(countedAt) + 1n).toString();
    try {
      const r = await etcd.kv.txn(
        {
          compare: [{...range, target: 'Mod', result: 'Less', mod_revision: untouchedSince}],
          success: [{request_delete_range: range}],
          failure: [{request_range: {...range, count_only: true}}],
        },
        deadline(),
      );
      if (r.succeeded) return {ok: true, deleted: Number(r.responses[0].response_delete_range.deleted), revision: r.header.revision};
      return {ok: false, count: Number(r.responses[0].response_range.count), revision: r.header.revision};
    } catch (e) {
      throw etcdFailure(e, client, action);
    }
  });
}

export interface HistoryEntry {
  modRevision: string;
  version: number;
  value: Buffer;
}

export interface KeyHistory {
  /** Newest first; the first entry is the current value. Empty when the key does not exist. */
  entries: HistoryEntry[];
  /** The walk stopped at etcd's compaction point: older values are gone. */
  compacted: boolean;
  /** The walk reached the value the key was created with (version 1) of its current life. */
  complete: boolean;
  /** Stopped at `limit` with older values still readable. */
  truncated: boolean;
}

/**
 * Earlier values of a key, read at earlier revisions: the value at mod_revision - 1 is the previous
 * one, and so on back to version 1 (this life of the key: a life that ended in a delete is not
 * followed, etcd gives no cheap way to find when it ended) or to the compaction point.
 */
export async function keyHistory(client: EtcdClient, key: string | Buffer, opts: {limit?: number; revision?: string} = {}): Promise<KeyHistory> {
  const limit = Math.max(1, opts.limit ?? 20);
  const k = toBuffer(key);
  const out: KeyHistory = {entries: [], compacted: false, complete: false, truncated: false};
  let kv: KeyValue | undefined;
  try {
    kv = await getValue(client, k, opts.revision);
  } catch (e) {
    if (e instanceof EtcdCompactedError) return {...out, compacted: true};
    throw e;
  }
  if (!kv) return out;
  const createRevision = BigInt(kv.createRevision);
  for (;;) {
    out.entries.push({modRevision: kv.modRevision, version: kv.version, value: kv.value});
    if (kv.version <= 1) {
      out.complete = true;
      break;
    }
    if (out.entries.length >= limit) {
      out.truncated = true;
      break;
    }
    const before = BigInt(kv.modRevision) - 1n;
    if (before < createRevision) {
      out.complete = true;
      break;
    }
    try {
      const res = await client.reads.range({key: k, revision: before.toString()}, deadline());
      kv = res.kvs[0] ? toKeyValue(res.kvs[0]) : undefined;
    } catch (e) {
      if (e instanceof Error && isCompactedMessage(e.message)) {
        out.compacted = true;
        break;
      }
      throw etcdFailure(e, client, `reading the history of ${String(key)}`);
    }
    if (!kv) break;
  }
  return out;
}
