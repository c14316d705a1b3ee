import {eventContainerId} from '../../data/containerd/events.js';
import {describeAction} from '../confirm.js';
import {recordedEvents} from '../event-memo.js';
import type {ResourceDef} from '../types.js';

export interface EventRow {
  seq: number;
  time?: Date;
  namespace: string;
  topic: string;
  /** The container's name (nerdctl's, pod/namespace/name, CRI's) when the feed knows it. */
  name?: string;
  payload: unknown;
}

/** One line for an event payload: the object it is about (by name when known), then what happened to it. */
export function summarize(payload: unknown, name?: string): string {
  if (!payload || typeof payload !== 'object') return '';
  const p = payload as Record<string, unknown>;
  const parts: string[] = [];
  const subject = name ?? p.container_id ?? p.id ?? p.name ?? p.key ?? p.digest;
  if (subject !== undefined && subject !== '') parts.push(String(subject));
  if (p.container_id !== undefined && p.id && p.id !== p.container_id) parts.push(`exec ${String(p.id)}`);
  if (p.pid !== undefined && Number(p.pid) > 0) parts.push(`pid ${String(p.pid)}`);
  if (p.exit_status !== undefined) parts.push(`exit ${String(p.exit_status)}`);
  if (p.image !== undefined && p.image !== '') parts.push(`image ${String(p.image)}`);
  return parts.join('  ');
}

function clock(d: Date | undefined): string {
  return d ? d.toISOString().slice(11, 23) : '';
}

const hms = (d: Date) => d.toISOString().slice(11, 19);

export const events: ResourceDef<EventRow> = {
  id: 'events',
  title: 'Events',
  aliases: ['ev', 'event'],
  daemon: 'containerd',
  namespaced: false,
  followsEvents: true,
  columns: [
    {id: 'time', header: 'TIME', sortKey: 'A', cell: (r) => clock(r.time), sortValue: (r) => r.seq, descendingFirst: true},
    {id: 'namespace', header: 'NAMESPACE', sortKey: 'E', cell: (r) => r.namespace},
    {id: 'topic', header: 'TOPIC', sortKey: 'T', cell: (r) => r.topic},
    {id: 'detail', header: 'DETAIL', grow: true, cell: (r) => summarize(r.payload, r.name)},
  ],
  defaultSort: {column: 'time', descending: true},
  rowKey: (r) => String(r.seq),
  titleNote: (ctx) => {
    const {since, resumed} = recordedEvents(ctx);
    if (!since) return 'not subscribed yet';
    return `recording since ${hms(since)} UTC${resumed ? `, resubscribed ${hms(resumed)} (events between may be missing)` : ''}`;
  },
  load: async (ctx) => {
    const {events: recent, nameOf} = recordedEvents(ctx);
    return recent.map((e) => {
      const id = eventContainerId(e);
      const name = id ? nameOf?.(e.namespace, id) : undefined;
      return {seq: e.seq, time: e.timestamp, namespace: e.namespace, topic: e.topic, ...(name ? {name} : {}), payload: e.payload};
    });
  },
  actions: [
    describeAction(
      (r) => `event ${r.topic}`,
      async (r) => ({time: r.time, namespace: r.namespace, topic: r.topic, ...(r.name ? {name: r.name} : {}), payload: r.payload}),
      ['d', 'enter'],
    ),
  ],
};
