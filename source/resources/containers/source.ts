import {listContainers, type ContainerRecord} from '../../data/containerd/containers.js';
import {cpuPercent, taskMetrics, type TaskMetrics} from '../../data/containerd/metrics.js';
import {listTasks, type TaskRecord} from '../../data/containerd/tasks.js';
import {lastExits, type TaskExit} from '../event-memo.js';
import {forEachSliced} from '../../data/slices.js';
import {pruneMemo} from '../memo.js';
import {containerName} from '../names.js';
import type {DataContext, LoadScope} from '../types.js';

export interface ContainerRow {
  namespace: string;
  id: string;
  name: string;
  image: string;
  /** The task's state (running, stopped, paused, pausing, created, unknown), or `no task`. */
  status: string;
  exitStatus?: number;
  exitedAt?: Date;
  /** A container without a task: its last exit, when the event feed saw its task go. */
  lastExit?: TaskExit;
  pid?: number;
  cpuPercent?: number;
  memoryBytes?: number;
  createdAt?: Date;
  labels: Record<string, string>;
}

export {containerName};

export function containerRow(
  ns: string,
  c: ContainerRecord,
  task: TaskRecord | undefined,
  cpu: number | undefined,
  metrics: TaskMetrics | undefined,
  lastExit?: TaskExit,
): ContainerRow {
  const live = task?.status === 'running' || task?.status === 'paused';
  const stopped = task?.status === 'stopped';
  // An exit from before this container was created belongs to an earlier one of the same ID.
  const exit = !task && lastExit && (!lastExit.at || !c.createdAt || lastExit.at >= c.createdAt) ? lastExit : undefined;
  return {
    namespace: ns,
    id: c.id,
    name: containerName(c),
    image: c.image,
    status: task ? task.status : 'no task',
    exitStatus: stopped ? task.exitStatus : undefined,
    exitedAt: stopped ? task.exitedAt : undefined,
    ...(exit ? {lastExit: exit} : {}),
    pid: task && task.pid > 0 && !stopped ? task.pid : undefined,
    // A stopped task's cgroup may linger with stale numbers: only live tasks have usage.
    // Rounded to what is shown, so a change nobody can see is not a new frame.
    cpuPercent: live && cpu !== undefined ? Math.round(cpu * 10) / 10 : undefined,
    memoryBytes: live && metrics ? Math.round(metrics.memoryUsageBytes / 1024) * 1024 : undefined,
    createdAt: c.createdAt,
    labels: c.labels,
  };
}

/** What was last sampled for a live task, rounded to what is shown (kept between relists). */
interface Usage {
  cpuPercent?: number;
  memoryBytes?: number;
}

const usageKey = (ns: string, id: string) => `usage:${ns}/${id}`;
const sampleKey = (ns: string, id: string) => `cpu:${ns}/${id}`;

/** A namespace's rows of the last load, each with the updated_at of the record it was made from. */
type Kept = Map<string, {row: ContainerRow; updated: number | undefined}>;
const keptKey = (ns: string) => `rows:${ns}`;

// Not isDeepStrictEqual: called per field of 10,000 rows it took 27 ms against this one's 5.
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Whether two rows of the same container record show the same, labels aside: containerd sets a
 * container's updated_at on every change to its record (labels, image, spec), so the caller compares
 * that instead of every label set. The last load's row is then kept, and the relist's compare
 * (SourceManager) is one identity check per row: a deep compare of 10,000 rows took 45-80 ms, a missed keypress.
 */
export function sameButLabels(a: ContainerRow, b: ContainerRow): boolean {
  const keys = Object.keys(a) as Array<keyof ContainerRow>;
  return keys.length === Object.keys(b).length && keys.every((k) => k === 'labels' || sameValue(a[k], b[k]));
}

/**
 * One containers list and one tasks list per namespace, never one call per row. CPU and memory are
 * not read here: they are sampled for the rows on screen only (sampleContainers), and a relist shows
 * the last sample, so a relist of 2,000 containers asks no shim for metrics.
 */
export async function loadContainers(ctx: DataContext, scope: LoadScope): Promise<ContainerRow[]> {
  const namespaces = scope.allNamespaces ? (await ctx.containerd.listNamespaces()).map((n) => n.name) : [scope.namespace];
  const exits = lastExits(ctx);
  const perNs = await Promise.all(
    namespaces.map(async (ns) => {
      const [containers, tasks] = await Promise.all([listContainers(ctx.containerd, ns, [], {withSpec: false}), listTasks(ctx.containerd, ns)]);
      const byId = new Map(tasks.map((t) => [t.id, t]));
      const before = ctx.memo.get(keptKey(ns)) as Kept | undefined;
      const kept: Kept = new Map();
      const rows: ContainerRow[] = [];
      await forEachSliced(containers, (c) => {
        const made = containerRow(ns, c, byId.get(c.id), undefined, undefined, exits.get(`${ns}/${c.id}`));
        const usage = made.status === 'running' || made.status === 'paused' ? (ctx.memo.get(usageKey(ns, c.id)) as Usage | undefined) : undefined;
        const fresh = usage ? {...made, ...usage} : made;
        const updated = c.updatedAt?.getTime();
        const last = before?.get(c.id);
        const row = last && updated !== undefined && last.updated === updated && sameButLabels(last.row, fresh) ? last.row : fresh;
        kept.set(c.id, {row, updated});
        rows.push(row);
      });
      ctx.memo.set(keptKey(ns), kept);
      for (const prefix of [usageKey(ns, ''), sampleKey(ns, '')]) pruneMemo(ctx.memo, prefix, {has: (key) => kept.has(key.slice(prefix.length))});
      return rows;
    }),
  );
  // The kept rows of a namespace no longer listed (another one chosen) are not held on to.
  pruneMemo(ctx.memo, keptKey(''), new Set(namespaces.map(keptKey)));
  return perNs.flat();
}

/**
 * CPU and memory of the given rows (those on screen): one Metrics call per namespace, filtered to
 * their ids. CPU is the change since the row's previous sample. Returns the rows with their new
 * figures, rounded to what is shown (an invisible change is not a new frame).
 */
export async function sampleContainers(ctx: DataContext, rows: ContainerRow[]): Promise<ContainerRow[]> {
  const live = rows.filter((r) => r.status === 'running' || r.status === 'paused');
  const byNs = new Map<string, string[]>();
  for (const r of live) byNs.set(r.namespace, [...(byNs.get(r.namespace) ?? []), r.id]);
  const metrics = new Map<string, TaskMetrics>();
  await Promise.all(
    [...byNs].map(async ([ns, ids]) => {
      // Metrics are a bonus: a failure leaves the columns as they were rather than the pane empty.
      const m = await taskMetrics(ctx.containerd, ns, ids).catch(() => new Map<string, TaskMetrics>());
      for (const [id, v] of m) metrics.set(`${ns}/${id}`, v);
    }),
  );
  return live.map((r) => {
    const m = metrics.get(`${r.namespace}/${r.id}`);
    if (!m) return r;
    const prev = ctx.memo.get(sampleKey(r.namespace, r.id)) as TaskMetrics | undefined;
    ctx.memo.set(sampleKey(r.namespace, r.id), m);
    const cpu = prev && prev.timestamp.getTime() < m.timestamp.getTime() ? Math.round(cpuPercent(prev, m) * 10) / 10 : r.cpuPercent;
    const usage: Usage = {cpuPercent: cpu, memoryBytes: Math.round(m.memoryUsageBytes / 1024) * 1024};
    ctx.memo.set(usageKey(r.namespace, r.id), usage);
    return {...r, ...usage};
  });
}
