import {listContainers, type ContainerRecord} from '../../data/containerd/containers.js';
import {cpuPercent, taskMetrics, type TaskMetrics} from '../../data/containerd/metrics.js';
import {listTasks, type TaskRecord} from '../../data/containerd/tasks.js';
import {lastExits, type TaskExit} from '../event-memo.js';
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

/** One containers list, one tasks list and one metrics call per namespace, never one call per row. */
export async function loadContainers(ctx: DataContext, scope: LoadScope): Promise<ContainerRow[]> {
  const namespaces = scope.allNamespaces ? (await ctx.containerd.listNamespaces()).map((n) => n.name) : [scope.namespace];
  const exits = lastExits(ctx);
  const perNs = await Promise.all(
    namespaces.map(async (ns) => {
      const [containers, tasks, metrics] = await Promise.all([
        listContainers(ctx.containerd, ns, [], {withSpec: false}),
        listTasks(ctx.containerd, ns),
        // Metrics are a bonus: a failure leaves the columns blank rather than the pane empty.
        taskMetrics(ctx.containerd, ns).catch(() => new Map<string, TaskMetrics>()),
      ]);
      const byId = new Map(tasks.map((t) => [t.id, t]));
      const seen = new Set<string>();
      const rows = containers.map((c) => {
        const m = metrics.get(c.id);
        const key = `cpu:${ns}/${c.id}`;
        seen.add(key);
        const prev = ctx.memo.get(key) as TaskMetrics | undefined;
        let cpu: number | undefined;
        if (m) {
          if (prev && prev.timestamp.getTime() < m.timestamp.getTime()) cpu = cpuPercent(prev, m);
          ctx.memo.set(key, m);
        }
        return containerRow(ns, c, byId.get(c.id), cpu, m, exits.get(`${ns}/${c.id}`));
      });
      pruneMemo(ctx.memo, `cpu:${ns}/`, seen);
      return rows;
    }),
  );
  return perNs.flat();
}
