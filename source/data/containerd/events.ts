import {UndockError} from '../errors.js';
import {decodeAny, type PbAny} from '../grpc/any.js';
import {toDate, type PbTimestamp} from '../grpc/types.js';
import type {ContainerdClient} from './client.js';

const eventsProto = 'containerd/services/events/v1/events.proto';
const eventsService = 'containerd.services.events.v1.Events';

export interface ContainerdEvent {
  timestamp?: Date;
  namespace: string;
  /** e.g. /containers/create, /tasks/start, /tasks/exit, /images/update. */
  topic: string;
  /**
   * The decoded envelope payload, snake_case as on the wire, e.g. for /tasks/exit
   * {container_id, id, pid, exit_status, exited_at: {seconds, nanos}}.
   */
  payload?: unknown;
}

export interface EventSubscription {
  close(): void;
}

export interface SubscribeOptions {
  /**
   * containerd filters, ORed; conditions within one are ANDed with commas, e.g.
   * `namespace==default,topic~="^/tasks/"`. None: every event of every namespace.
   */
  filters?: string[];
  onEvent: (e: ContainerdEvent) => void;
  /** The stream failed; when containerd stops this is an UndockError of kind 'unavailable'. */
  onError: (err: UndockError) => void;
  /** containerd closed the stream without an error. */
  onEnd?: () => void;
}

interface PbEnvelope {
  timestamp: PbTimestamp | null;
  namespace: string;
  topic: string;
  event: PbAny | null;
}

/**
 * A long-lived Events.Subscribe stream (no deadline). containerd keeps no history and sends no
 * "subscribed" signal: events before the subscription reaches it are lost, so after every
 * (re)subscribe list what you show again and apply events on top. When the stream ends (onError
 * or onEnd) nothing re-subscribes by itself: the caller does, then relists. close() cancels the
 * stream quietly: no onError and no onEnd follow.
 */
export function subscribeEvents(c: ContainerdClient, opts: SubscribeOptions): EventSubscription {
  const abort = new AbortController();
  c.conn
    .serverStream<object, PbEnvelope>(eventsProto, eventsService, 'Subscribe', {filters: opts.filters ?? []}, {
      deadlineMs: 0,
      signal: abort.signal,
      onMessage: (env) => {
        if (!abort.signal.aborted) opts.onEvent(toContainerdEvent(env));
      },
    })
    .then(
      () => {
        if (!abort.signal.aborted) opts.onEnd?.();
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        opts.onError(err instanceof UndockError ? err : new UndockError('unknown', `containerd event stream failed: ${String(err)}`));
      },
    );
  return {close: () => abort.abort()};
}

export function toContainerdEvent(env: PbEnvelope): ContainerdEvent {
  const e: ContainerdEvent = {timestamp: toDate(env.timestamp), namespace: env.namespace, topic: env.topic};
  if (env.event?.type_url) e.payload = decodeAny(env.event);
  return e;
}

/**
 * The container an event is about, if any: task payloads name it container_id, container
 * payloads id. Handy to refresh one row instead of the list.
 */
export function eventContainerId(e: ContainerdEvent): string | undefined {
  if (!e.topic.startsWith('/tasks/') && !e.topic.startsWith('/containers/')) return undefined;
  const p = e.payload as {container_id?: unknown; id?: unknown} | undefined;
  if (typeof p?.container_id === 'string' && p.container_id) return p.container_id;
  if (e.topic.startsWith('/containers/') && typeof p?.id === 'string' && p.id) return p.id;
  return undefined;
}
