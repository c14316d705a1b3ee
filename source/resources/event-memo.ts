// The app's containerd event feed, as resources read it: the events view, and last exits of tasks gone since.
import type {ContainerdEvent} from '../data/containerd/events.js';
import {toDate, type PbTimestamp} from '../data/grpc/types.js';
import type {DataContext} from './types.js';

/** An event as the feed keeps it, numbered in arrival order. */
export type RecordedEvent = ContainerdEvent & {seq: number};

/** What the app's event feed recorded (set in the DataContext memo). */
export interface EventRecord {
  events: RecordedEvent[];
  /** When the feed's subscription began: nothing before it was seen. */
  since?: Date;
  /** When it subscribed again after losing the stream: events in between may be missing. */
  resumed?: Date;
  /** The name of a container the feed knows (kept after the container is gone). */
  nameOf?: (namespace: string, id: string) => string | undefined;
}

/** The memo key under which the app publishes its event feed. */
export const EVENTS_MEMO = 'recent-events';

export function recordedEvents(ctx: DataContext): EventRecord {
  return (ctx.memo.get(EVENTS_MEMO) as (() => EventRecord) | undefined)?.() ?? {events: []};
}

export interface TaskExit {
  status: number;
  at?: Date;
}

/**
 * The last exit of each container's init process the feed saw (/tasks/exit, /tasks/delete), keyed
 * `namespace/id`: after a task is deleted, containerd 1.6 keeps its exit nowhere else.
 */
export function lastExits(ctx: DataContext): Map<string, TaskExit> {
  const out = new Map<string, TaskExit>();
  for (const e of recordedEvents(ctx).events) {
    if (e.topic !== '/tasks/exit' && e.topic !== '/tasks/delete') continue;
    const p = e.payload as {container_id?: string; id?: string; exit_status?: number; exited_at?: PbTimestamp | null} | undefined;
    if (!p?.container_id || (p.id && p.id !== p.container_id)) continue;
    out.set(`${e.namespace}/${p.container_id}`, {status: p.exit_status ?? 0, at: toDate(p.exited_at ?? null) ?? e.timestamp});
  }
  return out;
}
