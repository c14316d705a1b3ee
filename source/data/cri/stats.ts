// CRI container stats: CPU, memory and writable-layer usage per container.
import type {GrpcConnection} from '../grpc/connection.js';
import {nanosToDate} from '../grpc/types.js';
import {num} from './records.js';
import {PROTO, RUNTIME, type Int64, type PbContainerMetadata, type PbValue} from './wire.js';

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

export interface ContainerStatsRecord {
  id: string;
  name: string;
  attempt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  cpu?: {timestamp?: Date; usageCoreNanoSeconds?: number; usageNanoCores?: number};
  memory?: {
    timestamp?: Date;
    workingSetBytes?: number;
    usageBytes?: number;
    rssBytes?: number;
    availableBytes?: number;
  };
  writableLayer?: {timestamp?: Date; mountpoint: string; usedBytes?: number; inodesUsed?: number};
}

interface PbContainerStats {
  attributes: {
    id: string;
    metadata: PbContainerMetadata | null;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  } | null;
  cpu: {timestamp: Int64; usage_core_nano_seconds: PbValue | null; usage_nano_cores: PbValue | null} | null;
  memory: {
    timestamp: Int64;
    working_set_bytes: PbValue | null;
    available_bytes: PbValue | null;
    usage_bytes: PbValue | null;
    rss_bytes: PbValue | null;
  } | null;
  writable_layer: {
    timestamp: Int64;
    fs_id: {mountpoint: string} | null;
    used_bytes: PbValue | null;
    inodes_used: PbValue | null;
  } | null;
}

export async function listContainerStats(conn: GrpcConnection, filter: ContainerStatsFilter = {}): Promise<ContainerStatsRecord[]> {
  const wire = {id: filter.id ?? '', pod_sandbox_id: filter.podSandboxId ?? '', label_selector: filter.labelSelector ?? {}};
  const res = await conn.unary<object, {stats: PbContainerStats[]}>(PROTO, RUNTIME, 'ListContainerStats', {filter: wire});
  return res.stats.map((s) => {
    const a = s.attributes;
    return {
      id: a?.id ?? '',
      name: a?.metadata?.name ?? '',
      attempt: a?.metadata?.attempt ?? 0,
      labels: a?.labels ?? {},
      annotations: a?.annotations ?? {},
      cpu: s.cpu
        ? {
            timestamp: nanosToDate(s.cpu.timestamp),
            usageCoreNanoSeconds: num(s.cpu.usage_core_nano_seconds),
            usageNanoCores: num(s.cpu.usage_nano_cores),
          }
        : undefined,
      memory: s.memory
        ? {
            timestamp: nanosToDate(s.memory.timestamp),
            workingSetBytes: num(s.memory.working_set_bytes),
            usageBytes: num(s.memory.usage_bytes),
            rssBytes: num(s.memory.rss_bytes),
            availableBytes: num(s.memory.available_bytes),
          }
        : undefined,
      writableLayer: s.writable_layer
        ? {
            timestamp: nanosToDate(s.writable_layer.timestamp),
            mountpoint: s.writable_layer.fs_id?.mountpoint ?? '',
            usedBytes: num(s.writable_layer.used_bytes),
            inodesUsed: num(s.writable_layer.inodes_used),
          }
        : undefined,
    };
  });
}

export interface PodStatsRecord {
  id: string;
  name: string;
  namespace: string;
  cpu?: {usageCoreNanoSeconds?: number; usageNanoCores?: number};
  memory?: {workingSetBytes?: number; usageBytes?: number};
  processes?: number;
}

interface PbPodStats {
  attributes: {id: string; metadata: {name: string; namespace: string} | null} | null;
  linux: {
    cpu: {usage_core_nano_seconds: PbValue | null; usage_nano_cores: PbValue | null} | null;
    memory: {working_set_bytes: PbValue | null; usage_bytes: PbValue | null} | null;
    process: {process_count: PbValue | null} | null;
  } | null;
}

/** CRI ListPodSandboxStats (crictl statsp). containerd 1.6 fails it for a pod without a cgroup parent. */
export async function listPodSandboxStats(conn: GrpcConnection): Promise<PodStatsRecord[]> {
  const res = await conn.unary<object, {stats: PbPodStats[]}>(PROTO, RUNTIME, 'ListPodSandboxStats', {filter: {id: '', label_selector: {}}});
  return res.stats.map((s) => toPodStats(s, ''));
}

/** CRI PodSandboxStats for one pod. */
export async function podSandboxStats(conn: GrpcConnection, id: string): Promise<PodStatsRecord | undefined> {
  const res = await conn.unary<object, {stats: PbPodStats | null}>(PROTO, RUNTIME, 'PodSandboxStats', {pod_sandbox_id: id});
  return res.stats ? toPodStats(res.stats, id) : undefined;
}

function toPodStats(s: PbPodStats, id: string): PodStatsRecord {
  const l = s.linux;
  return {
    id: s.attributes?.id || id,
    name: s.attributes?.metadata?.name ?? '',
    namespace: s.attributes?.metadata?.namespace ?? '',
    cpu: l?.cpu ? {usageCoreNanoSeconds: num(l.cpu.usage_core_nano_seconds), usageNanoCores: num(l.cpu.usage_nano_cores)} : undefined,
    memory: l?.memory ? {workingSetBytes: num(l.memory.working_set_bytes), usageBytes: num(l.memory.usage_bytes)} : undefined,
    processes: num(l?.process?.process_count ?? null),
  };
}
