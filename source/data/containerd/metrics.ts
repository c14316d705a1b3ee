import {decodeAny, type PbAny} from '../grpc/any.js';
import {toDate, type PbTimestamp} from '../grpc/types.js';
import type {ContainerdClient} from './client.js';

const tasksProto = 'containerd/services/tasks/v1/tasks.proto';
const tasksService = 'containerd.services.tasks.v1.Tasks';

export const cgroupsV1MetricsType = 'io.containerd.cgroups.v1.Metrics';

export interface TaskMetrics {
  /** The container id. */
  id: string;
  /** When containerd collected the sample. */
  timestamp: Date;
  /** CPU time used since the task started, all cores together. */
  cpuUsageNanos: number;
  /** The working set: usage minus inactive file pages (what docker stats and the kubelet show). */
  memoryUsageBytes: number;
  /** Absent when the cgroup has no limit. */
  memoryLimitBytes?: number;
  pids?: number;
}

/** The subset of io.containerd.cgroups.v1.Metrics used here, as decodeAny hands it over (uint64 as strings). */
export interface CgroupsV1Metrics {
  pids?: {current: string; limit: string} | null;
  cpu?: {usage?: {total: string} | null} | null;
  memory?: {
    cache: string;
    total_inactive_file: string;
    hierarchical_memory_limit: string;
    usage?: {usage: string; limit: string} | null;
  } | null;
}

// cgroups v1 reports "no limit" as the page-aligned maximum (0x7FFFFFFFFFFFF000); anything that
// large is not a real limit on any machine.
const UNLIMITED_FROM = 1n << 62n;

function big(s: string | undefined | null): bigint {
  try {
    return BigInt(s ?? 0);
  } catch {
    return 0n;
  }
}

function limitOf(s: string | undefined | null): bigint | undefined {
  const v = big(s);
  return v > 0n && v < UNLIMITED_FROM ? v : undefined;
}

/**
 * Picks the numbers undock shows from one cgroups v1 sample. Memory is the working set as docker
 * computes it for cgroups v1: usage minus total_inactive_file (page cache the kernel can drop at
 * once), falling back to the raw usage when that does not fit. The limit is the cgroup's own
 * memory.limit_in_bytes, or else the hierarchical limit a parent imposes.
 */
export function pickCgroupsV1(id: string, timestamp: Date, m: CgroupsV1Metrics): TaskMetrics {
  const usage = big(m.memory?.usage?.usage);
  const inactiveFile = big(m.memory?.total_inactive_file);
  const workingSet = inactiveFile < usage ? usage - inactiveFile : usage;
  const limit = limitOf(m.memory?.usage?.limit) ?? limitOf(m.memory?.hierarchical_memory_limit);
  const out: TaskMetrics = {
    id,
    timestamp,
    cpuUsageNanos: Number(big(m.cpu?.usage?.total)),
    memoryUsageBytes: Number(workingSet),
  };
  if (limit !== undefined) out.memoryLimitBytes = Number(limit);
  if (m.pids) out.pids = Number(big(m.pids.current));
  return out;
}

/**
 * Metrics of the tasks with the given container ids (every task when ids is undefined), in ONE
 * Tasks.Metrics call. Containers without a task are absent from the map; a stopped task that is not
 * deleted yet still has its cgroup and reports its final CPU time with pids 0. Samples of another
 * kind are left out (cgroups v2 hosts send io.containerd.cgroups.v2.Metrics, not decoded here).
 */
export async function taskMetrics(c: ContainerdClient, namespace: string, ids?: string[]): Promise<Map<string, TaskMetrics>> {
  const out = new Map<string, TaskMetrics>();
  if (ids && ids.length === 0) return out;
  // Filters are ORed; quoted values take any id.
  const filters = ids ? ids.map((id) => `id==${JSON.stringify(id)}`) : [];
  const res = await c.conn.unary<object, {metrics: Array<{timestamp: PbTimestamp | null; id: string; data: PbAny | null}>}>(
    tasksProto,
    tasksService,
    'Metrics',
    {filters},
    {namespace},
  );
  for (const metric of res.metrics) {
    if (metric.data?.type_url !== cgroupsV1MetricsType) continue;
    const decoded = decodeAny(metric.data) as CgroupsV1Metrics;
    out.set(metric.id, pickCgroupsV1(metric.id, toDate(metric.timestamp) ?? new Date(), decoded));
  }
  return out;
}

/** CPU use between two samples of one task, in percent of one core (200 = two cores busy). */
export function cpuPercent(prev: TaskMetrics, cur: TaskMetrics): number {
  const elapsedNanos = (cur.timestamp.getTime() - prev.timestamp.getTime()) * 1e6;
  const usedNanos = cur.cpuUsageNanos - prev.cpuUsageNanos;
  // A restarted task starts its counter again; a sample out of order has no meaning.
  if (elapsedNanos <= 0 || usedNanos < 0) return 0;
  return (usedNanos / elapsedNanos) * 100;
}
