import type {IKeyValue, IRangeRequest} from 'etcd3';
import type {EtcdClient} from './client.js';
import {EtcdCompactedError, etcdFailure, isCompactedMessage} from './failure.js';

/*
 * Conventions for the whole etcd layer: keys and values are Buffers; revisions are decimal strings
 * (int64 on the wire, handed over by proto-loader as strings); member and lease IDs are lowercase hex
 * as etcdctl prints them ('0' = no lease); versions and counts are numbers.
 */

/** One key of a keys-only listing. `valueSize` is only known when values were read. */
export interface KeyMeta {
  key: Buffer;
  version: number;
  createRevision: string;
  modRevision: string;
  lease: string;
  valueSize?: number;
}

export interface KeyValue extends KeyMeta {
  value: Buffer;
  valueSize: number;
}

/** etcd's default --max-txn-ops: a transaction may hold at most this many operations. */
export const MAX_TXN_OPS = 128;

const PAGE_DEADLINE_MS = 15_000;
// The first page is small: an etcd that does not answer it in this long is said so, not waited on.
const FIRST_PAGE_DEADLINE_MS = 5_000;
const FIRST_PAGE = 1000;
const MAX_PAGE = 16_000;
const CALL_DEADLINE_MS = 10_000;

export function deadline(ms = CALL_DEADLINE_MS): {deadline: Date} {
  return {deadline: new Date(Date.now() + ms)};
}

export function toBuffer(key: string | Buffer): Buffer {
  return typeof key === 'string' ? Buffer.from(key) : key;
}

/** The end of the range holding every key that starts with `prefix` ("\0" = to the end of the keyspace). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] += 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

/** Start and end of a prefix range; the empty prefix means the whole keyspace. */
export function prefixRange(prefix: string | Buffer): {key: Buffer; range_end: Buffer} {
  const p = toBuffer(prefix);
  if (p.length === 0) return {key: Buffer.from([0]), range_end: Buffer.from([0])};
  return {key: p, range_end: prefixRangeEnd(p)};
}

/** A member or cluster ID in hex, as etcdctl prints it ('0' for none). */
export function hexId(id: string | number | undefined): string {
  if (id === undefined || id === '' || id === '0' || id === 0) return '0';
  return BigInt(id).toString(16);
}

/** A lease ID in hex, zero-padded to 16 digits as `etcdctl lease list` prints it ('0' for no lease). */
export function leaseId(id: string | number | undefined): string {
  const hex = hexId(id);
  return hex === '0' ? hex : hex.padStart(16, '0');
}

export function hexToDecimal(hex: string): string {
  return BigInt(`0x${hex.replace(/^0x/i, '')}`).toString();
}

export {EtcdCompactedError, etcdFailure, isCompactedMessage} from './failure.js';

export function toKeyMeta(kv: IKeyValue): KeyMeta {
  return {
    key: kv.key,
    version: Number(kv.version),
    createRevision: kv.create_revision,
    modRevision: kv.mod_revision,
    lease: leaseId(kv.lease),
  };
}

export function toKeyValue(kv: IKeyValue): KeyValue {
  return {...toKeyMeta(kv), value: kv.value, valueSize: kv.value.length};
}

export interface RangeKeysOptions {
  /** Read at this revision (all pages); default: the revision of the first page. */
  revision?: string;
  /**
   * Keys per request. Default: 1000 for the first page (the first level shows sooner), doubling
   * each page up to 16000 (etcd 3.4 walks the rest of the range on every page to count it, so
   * fewer, larger pages load a big keyspace faster).
   */
  pageSize?: number;
  /** Default true: no values (etcd then reports no value sizes either). */
  keysOnly?: boolean;
  signal?: AbortSignal;
  /** Each page as it arrives, for a view that shows the first level before the last page. */
  onPage?: (keys: KeyMeta[], progress: {revision: string; loaded: number; total: number}) => void;
}

export interface RangeKeysResult {
  /** The one revision every page was read at: the load is one consistent snapshot; watch from revision + 1. */
  revision: string;
  keys: KeyMeta[];
}

/**
 * Every key under `prefix`, in key order, read in pages of `pageSize` keys, all pinned to the first
 * page's revision so that concurrent writes never make the listing inconsistent (etcdctl reads one
 * unpaged response instead). Throws EtcdCompactedError when the pinned revision is compacted midway.
 */
export async function rangeKeys(client: EtcdClient, prefix: string | Buffer, opts: RangeKeysOptions = {}): Promise<RangeKeysResult> {
  const {range_end} = prefixRange(prefix);
  let start = prefixRange(prefix).key;
  let pageSize = Math.max(1, opts.pageSize ?? FIRST_PAGE);
  const keysOnly = opts.keysOnly ?? true;
  const keys: KeyMeta[] = [];
  let revision = opts.revision;
  let total = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const req: IRangeRequest = {key: start, range_end, limit: pageSize, keys_only: keysOnly};
    if (revision) req.revision = revision;
    let res;
    try {
      res = await client.reads.range(req, deadline(keys.length === 0 ? FIRST_PAGE_DEADLINE_MS : PAGE_DEADLINE_MS));
    } catch (e) {
      if (e instanceof Error && isCompactedMessage(e.message)) throw new EtcdCompactedError(revision);
      throw etcdFailure(e, client, `listing keys under ${String(prefix) || '/'}`);
    }
    revision ??= res.header.revision;
    // `count` is what is left from `start` on: the first page's count is the total
    if (keys.length === 0) total = Number(res.count);
    const page = res.kvs.map(keysOnly ? toKeyMeta : toKeyValue);
    for (const k of page) keys.push(k);
    opts.onPage?.(page, {revision, loaded: keys.length, total});
    if (!res.more || res.kvs.length === 0) break;
    start = Buffer.concat([res.kvs[res.kvs.length - 1].key, Buffer.from([0])]);
    if (opts.pageSize === undefined) pageSize = Math.min(pageSize * 2, MAX_PAGE);
  }
  return {revision: revision!, keys};
}

/** One key's value and metadata (at `revision` if given), or undefined when it does not exist. */
export async function getValue(client: EtcdClient, key: string | Buffer, revision?: string): Promise<KeyValue | undefined> {
  const req: IRangeRequest = {key: toBuffer(key)};
  if (revision) req.revision = revision;
  try {
    const res = await client.reads.range(req, deadline());
    return res.kvs.length ? toKeyValue(res.kvs[0]) : undefined;
  } catch (e) {
    if (e instanceof Error && isCompactedMessage(e.message)) throw new EtcdCompactedError(revision);
    throw etcdFailure(e, client, `reading ${String(key)}`);
  }
}

/** How many keys start with `prefix`, and at which revision (a count-only range: no keys are sent). */
export async function countPrefix(client: EtcdClient, prefix: string | Buffer, revision?: string): Promise<{count: number; revision: string}> {
  const req: IRangeRequest = {...prefixRange(prefix), count_only: true};
  if (revision) req.revision = revision;
  try {
    const res = await client.reads.range(req, deadline());
    return {count: Number(res.count), revision: res.header.revision};
  } catch (e) {
    if (e instanceof Error && isCompactedMessage(e.message)) throw new EtcdCompactedError(revision);
    throw etcdFailure(e, client, `counting keys under ${String(prefix) || '/'}`);
  }
}

/**
 * Value sizes of the given keys (a folder's direct leaves, say), read at `revision`. etcd 3.4 has no
 * size-only read: keys-only ranges drop values and sizes alike, so the values are fetched and
 * measured, 128 single-key ranges per transaction (etcd's --max-txn-ops default). A range over the
 * folder's prefix would also fetch every deeper key's value. Keys absent at `revision` are left out.
 */
export async function leafValueSizes(
  client: EtcdClient,
  keys: Buffer[],
  revision?: string,
  signal?: AbortSignal,
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (let i = 0; i < keys.length; i += MAX_TXN_OPS) {
    signal?.throwIfAborted();
    const batch = keys.slice(i, i + MAX_TXN_OPS);
    let res;
    try {
      res = await client.reads.rangeTxn({success: batch.map((key) => ({request_range: revision ? {key, revision} : {key}}))}, deadline());
    } catch (e) {
      if (e instanceof Error && isCompactedMessage(e.message)) throw new EtcdCompactedError(revision);
      throw etcdFailure(e, client, 'reading value sizes');
    }
    for (const r of res.responses) {
      const kv = r.response_range?.kvs[0];
      if (kv) sizes.set(kv.key.toString('latin1'), kv.value.length);
    }
  }
  return sizes;
}

/** Map key for leafValueSizes' result: the key's bytes, one char per byte. */
export function sizeMapKey(key: Buffer): string {
  return key.toString('latin1');
}
