import type {IDuplexStream, IEvent, IWatchRequest, IWatchResponse} from 'etcd3';
import {ClientClosedError} from 'etcd3/lib/errors.js';
import {UndockError} from '../errors.js';
import type {EtcdClient} from './client.js';
import {etcdFailure, hexId, leaseId, prefixRange} from './keys.js';

export interface WatchEvent {
  type: 'put' | 'delete';
  key: Buffer;
  /** Absent for deletes. */
  value?: Buffer;
  modRevision: string;
  /** '0' for deletes. */
  createRevision: string;
  /** 0 for deletes. */
  version: number;
  /** Lease ID in hex, for puts under a lease. */
  lease?: string;
  /** Only when the watch was opened with prevKv. */
  prevValue?: Buffer;
}

export interface WatchHandlers {
  /** Events in revision order, each exactly once; `revision` is the last event's: the caller's view is now at it. */
  onEvents: (events: WatchEvent[], revision: string) => void;
  /** The start (or resume) revision is compacted: events were lost; reload and watch again. The watch has ended. */
  onCompacted: (compactRevision?: string) => void;
  /** A failure that resuming cannot mend (etcd canceled the watch, permission denied). The watch has ended. */
  onError: (e: UndockError) => void;
  /** The stream broke (member gone, network): the watch reconnects by itself. */
  onDisconnected?: (e: UndockError) => void;
  /** Watching again after a break, from this revision: nothing before it is lost, nothing after it doubled. */
  onResumed?: (fromRevision: string) => void;
  /** etcd accepted the watch; the member that serves it, in hex (as etcdctl member list shows). */
  onConnected?: (memberId: string) => void;
}

export interface WatchOptions {
  /** Also deliver each event's previous value (costs a second value per event). */
  prevKv?: boolean;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;

function toWatchEvent(e: IEvent, withPrev: boolean): WatchEvent {
  const kv = e.kv;
  const put = e.type === 'Put';
  const event: WatchEvent = {
    type: put ? 'put' : 'delete',
    key: kv.key,
    modRevision: kv.mod_revision,
    createRevision: kv.create_revision,
    version: Number(kv.version),
  };
  if (put) event.value = kv.value;
  if (put && kv.lease && kv.lease !== '0') event.lease = leaseId(kv.lease);
  if (withPrev && e.prev_kv) event.prevValue = e.prev_kv.value;
  return event;
}

/**
 * Watches every key under `prefix` from `fromRevision` (the load's revision + 1) on the raw Watch
 * RPC, one stream of its own, so that what etcd3's watcher hides is seen:
 * - compaction: etcd cancels the watch with `compact_revision` set (etcd3 turns this into a generic
 *   "Watcher canceled: " error and drops the revision): onCompacted(compact_revision);
 * - other cancels (cancel_reason, e.g. permission denied): onError, the watch ends;
 * - a broken stream (member killed, connection lost, stream ended): reconnect with backoff (100 ms
 *   doubling to 2 s; etcd3's pool picks a host and its circuit breaker skips one that keeps failing)
 *   and watch again from the last delivered revision + 1, or from a progress notification's revision
 *   + 1 when that is later. etcd never splits one revision's events across responses (and fragments
 *   are joined here), so a revision is delivered whole or not at all: nothing lost, nothing doubled.
 */
export function watchPrefix(
  client: EtcdClient,
  prefix: string | Buffer,
  fromRevision: string,
  handlers: WatchHandlers,
  opts: WatchOptions = {},
): {close(): void} {
  const range = prefixRange(prefix);
  // this client for the watch's whole life: once it is closed the watch ends, it never opens another
  const reads = client.reads;
  const prevKv = opts.prevKv ?? false;
  let next = BigInt(fromRevision);
  let closed = false;
  let stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryMs = FIRST_RETRY_MS;
  let broken = false; // a break happened since the last accepted watch: the next acceptance is a resume
  let fragments: IEvent[] = [];

  const finish = () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    const s = stream;
    stream = undefined;
    s?.cancel();
  };

  const call = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      // a handler's own bug must not look like a stream failure
      queueMicrotask(() => {
        throw e;
      });
    }
  };

  const retry = (err: unknown) => {
    if (closed) return;
    if (err instanceof ClientClosedError) {
      finish();
      call(() => handlers.onError(new UndockError('unavailable', `the etcd client was closed while watching ${String(prefix) || '/'}`)));
      return;
    }
    stream = undefined;
    fragments = [];
    broken = true;
    const failure = etcdFailure(err, client, `watching ${String(prefix) || '/'}`);
    call(() => handlers.onDisconnected?.(failure));
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  };

  const onResponse = (res: IWatchResponse) => {
    if (res.canceled) {
      const compactRevision = res.compact_revision && res.compact_revision !== '0' ? res.compact_revision : undefined;
      finish();
      if (compactRevision) {
        call(() => handlers.onCompacted(compactRevision));
      } else {
        const reason = res.cancel_reason || 'no reason given';
        const kind = /permission denied/i.test(reason) ? 'permission' : 'unknown';
        call(() => handlers.onError(new UndockError(kind, `etcd canceled the watch on ${String(prefix) || '/'}: ${reason}`, 'reload to watch again')));
      }
      return;
    }
    if (res.created) {
      retryMs = FIRST_RETRY_MS;
      const member = hexId(res.header?.member_id);
      if (broken) {
        broken = false;
        const from = next.toString();
        call(() => handlers.onResumed?.(from));
      }
      call(() => handlers.onConnected?.(member));
    }
    if (res.fragment) {
      fragments.push(...res.events);
      return;
    }
    const raw = fragments.length ? [...fragments, ...res.events] : res.events;
    fragments = [];
    if (raw.length === 0) {
      // a progress notification: everything up to header.revision has been sent
      if (!res.created && res.header?.revision) {
        const rev = BigInt(res.header.revision) + 1n;
        if (rev > next) next = rev;
      }
      return;
    }
    const events: WatchEvent[] = [];
    for (const e of raw) {
      if (BigInt(e.kv.mod_revision) < next) continue; // already delivered before a resume
      events.push(toWatchEvent(e, prevKv));
    }
    if (events.length === 0) return;
    const last = events[events.length - 1].modRevision;
    next = BigInt(last) + 1n;
    call(() => handlers.onEvents(events, last));
  };

  function connect(): void {
    retryTimer = undefined;
    if (closed) return;
    reads.watchStream().then(
      (s) => {
        if (closed) {
          s.cancel();
          return;
        }
        stream = s;
        let done = false;
        const fail = (err: unknown) => {
          if (done || stream !== s) return;
          done = true;
          s.cancel();
          retry(err);
        };
        s.on('data', (res) => {
          if (stream === s) onResponse(res);
        });
        s.on('error', fail);
        s.on('end', () => fail(new Error('14 UNAVAILABLE: the watch stream ended')));
        s.write({
          create_request: {
            ...range,
            start_revision: next.toString(),
            prev_kv: prevKv,
            progress_notify: true,
            fragment: true,
          },
        });
      },
      (err) => retry(err),
    );
  }

  connect();
  return {close: finish};
}
