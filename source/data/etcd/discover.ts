import type {IRangeRequest} from 'etcd3';
import type {EtcdClient} from './client.js';
import {deadline, EtcdCompactedError, etcdFailure, isCompactedMessage, prefixRange, prefixRangeEnd, toBuffer, toKeyMeta, type KeyMeta} from './keys.js';

/** A direct child of a folder: a leaf key, or a sub-folder prefix (ending with the separator) and how many keys are under it. */
export interface ChildEntry {
  key: Buffer;
  folder: boolean;
  /** Keys under it, all depths (1 for a leaf). */
  count: number;
  /** A leaf's metadata (keys-only: no value size). */
  meta?: KeyMeta;
}

export interface ListChildrenOptions {
  /** Read at this revision (all requests); default: the revision of the first answer. */
  revision?: string;
  signal?: AbortSignal;
  /** Keys under the folder, when known (its parent counted it): unknown or big, it is cut into intervals from the first request. */
  expected?: number;
  /** Children whose counts are final, in key order, as each answer arrives. */
  onBatch?: (children: ChildEntry[], progress: {revision: string; found: number}) => void;
}

const FIRST_LIMIT = 16;
// About 6 MB of keys-only answer (the client takes up to 64 MB). etcd 3.4 walks the rest of the
// range on every request to count it, so a folder of leaves is read in few, large pages.
const MAX_LIMIT = 100_000;
const DEADLINE_MS = 15_000;
// A folder this big (or of unknown size: the tree's root) is cut into intervals at once, not after
// a first request: that request would walk the whole folder before the intervals were even asked.
const CUT_AT_ONCE = 10_000;

// Where a folder's rest is cut when a sub-folder has eaten the first page (names mostly start with
// a lowercase letter): at most ten intervals, each walked by etcd 3.4 once per child in it, not once
// per child of the whole folder.
const CUTS = [0x30, 0x41, 0x61, 0x65, 0x69, 0x6d, 0x71, 0x75, 0x79];

/** Bounds cutting [lo, hi) at the byte after `base` (`toEnd`: hi is the end of the keyspace). */
function cuts(base: Buffer, lo: Buffer, hi: Buffer, toEnd: boolean): Buffer[] {
  const at = base.length;
  const loByte = lo[at] ?? -1;
  const hiByte = toEnd || hi.length <= at || !hi.subarray(0, at).equals(base) ? 256 : hi[at]!;
  return CUTS.filter((b) => b > loByte && b < hiByte).map((b) => Buffer.concat([base, Buffer.from([b])]));
}

/**
 * The direct children of `prefix`, found without reading every key under it: a range from a cursor
 * with a small limit gives the next keys; a key inside a sub-folder names that folder, and the next
 * range starts past the folder's prefix (prefix end), so a folder of any size costs one request.
 * Leaves come a page at a time: once a page is mostly leaves the rest comes in large pages (a
 * folder of 250,000 leaves is a few requests). Counts cost no request: etcd's `count` of a range
 * [cursor, end) is the number of keys from the cursor on, so a folder's count is the difference of
 * the counts at its first key and past its prefix. etcd 3.4 walks the whole rest of the range for
 * each request, so once a sub-folder has eaten the first page the rest is cut into intervals (by
 * the name's first byte) read at once, each in the same way; a folder of unknown size (the tree's
 * root) or a big one is cut so from its first request. Every answer is of one revision, so counts
 * and children agree with each other and with a watch from revision + 1.
 */
export async function listChildren(
  client: EtcdClient,
  prefix: string | Buffer,
  sep: string | Buffer,
  opts: ListChildrenOptions = {},
): Promise<{revision: string; children: ChildEntry[]; total: number}> {
  const base = toBuffer(prefix);
  const sepBytes = toBuffer(sep);
  const {key: first, range_end} = prefixRange(base);
  const toEnd = base.length === 0;
  const children: ChildEntry[] = [];
  const emit = (batch: ChildEntry[], revision: string) => {
    for (const c of batch) children.push(c);
    if (batch.length) opts.onBatch?.(batch, {revision, found: children.length});
  };

  /**
   * The children in [lo, hi), emitted in key order; resolves to the count of [lo, hi). Read at
   * `at.rev`, or at the first answer's revision, which is then kept in `at`.
   */
  const scan = async (lo: Buffer, hi: Buffer, mayCut: boolean, out: (batch: ChildEntry[]) => void, at: {rev?: string}): Promise<number> => {
    let cursor = lo;
    let limit = FIRST_LIMIT;
    let count = -1;
    // A folder whose last key was not seen yet: its count is its `suffix` minus the count past it.
    let open: {entry: ChildEntry; suffix: number} | undefined;
    for (;;) {
      opts.signal?.throwIfAborted();
      const req: IRangeRequest = {key: cursor, range_end: hi, limit, keys_only: true};
      if (at.rev) req.revision = at.rev;
      let res;
      try {
        res = await client.reads.range(req, deadline(DEADLINE_MS));
      } catch (e) {
        if (e instanceof Error && isCompactedMessage(e.message)) throw new EtcdCompactedError(at.rev);
        throw etcdFailure(e, client, `listing the folder ${base.toString() || '/'}`);
      }
      at.rev ??= res.header.revision;
      const remaining = Number(res.count);
      if (count < 0) count = remaining;
      const batch: ChildEntry[] = [];
      const close = (after: number) => {
        open!.entry.count = open!.suffix - after;
        batch.push(open!.entry);
        open = undefined;
      };
      if (open) close(remaining);
      res.kvs.forEach((kv, j) => {
        const suffix = remaining - j;
        if (open) {
          const p = open.entry.key;
          if (kv.key.length >= p.length && kv.key.subarray(0, p.length).equals(p)) return;
          close(suffix);
        }
        const cut = kv.key.subarray(base.length).indexOf(sepBytes);
        if (cut < 0 || kv.key.length === base.length) {
          batch.push({key: kv.key, folder: false, count: 1, meta: toKeyMeta(kv)});
          return;
        }
        open = {entry: {key: Buffer.from(kv.key.subarray(0, base.length + cut + sepBytes.length)), folder: true, count: 0}, suffix};
      });
      const done = !res.more || res.kvs.length === 0;
      if (open && done) close(remaining - res.kvs.length);
      if (done) {
        out(batch);
        return count;
      }
      const last = res.kvs[res.kvs.length - 1]!.key;
      cursor = open ? prefixRangeEnd((open as {entry: ChildEntry}).entry.key) : Buffer.concat([last, Buffer.from([0])]);
      // Past the interval's end (a folder reached it): nothing is left to ask for.
      if (!(toEnd && hi === range_end) && Buffer.compare(cursor, hi) >= 0) {
        if (open) close(0);
        out(batch);
        return count;
      }
      const eaten = batch.length * 2 < limit;
      const bounds = mayCut && eaten ? cuts(base, cursor, hi, toEnd && hi === range_end) : [];
      if (bounds.length > 0) {
        // The rest in intervals read at once; the open folder's count needs all of theirs.
        const edges = [cursor, ...bounds, hi];
        const parts = edges.slice(0, -1).map((from, i) => {
          const held: ChildEntry[] = [];
          return scan(from, edges[i + 1]!, false, (b) => {
            for (const c of b) held.push(c);
          }, at).then((n) => ({n, held}));
        });
        const results = await Promise.all(parts);
        if (open) close(results.reduce((a, r) => a + r.n, 0));
        out(batch);
        for (const r of results) out(r.held);
        return count;
      }
      out(batch);
      // A page of mostly new children (leaves): the rest comes in large pages; one a folder ate: small ones.
      limit = eaten ? Math.max(FIRST_LIMIT, limit >> 1) : MAX_LIMIT;
    }
  };

  if (opts.expected !== undefined && opts.expected < CUT_AT_ONCE) {
    const at = {rev: opts.revision};
    const total = await scan(first, range_end, true, (b) => emit(b, at.rev!), at);
    return {revision: at.rev!, children, total};
  }
  // The intervals are read at once, each at the revision of its own first answer unless one was
  // given; a write between their first requests makes those answers differ, and the intervals read
  // at an older one are read again at the newest, so the whole level is of one revision.
  const edges = [first, ...cuts(base, first, range_end, toEnd), range_end];
  const read = async (i: number, rev: string | undefined) => {
    const held: ChildEntry[] = [];
    const at = {rev};
    const n = await scan(edges[i]!, edges[i + 1]!, false, (b) => {
      for (const c of b) held.push(c);
    }, at);
    return {n, held, rev: at.rev!};
  };
  const firstReads = await Promise.all(edges.slice(0, -1).map((_, i) => read(i, opts.revision)));
  const revision = firstReads.reduce((m, p) => (BigInt(p.rev) > BigInt(m) ? p.rev : m), firstReads[0]!.rev);
  const parts = await Promise.all(firstReads.map((p, i) => (p.rev === revision ? p : read(i, revision))));
  for (const p of parts) emit(p.held, revision);
  return {revision, children, total: parts.reduce((a, p) => a + p.n, 0)};
}
