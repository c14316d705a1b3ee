// CRI pod sandboxes: listing, status, stop and remove, and their records.
import type {GrpcConnection} from '../grpc/connection.js';
import {nanosToDate} from '../grpc/types.js';
import {parseInfo} from './records.js';
import {lifecycle, PROTO, RUNTIME, type Int64} from './wire.js';

export type PodState = 'ready' | 'notready';

export interface PodRecord {
  id: string;
  name: string;
  uid: string;
  /** The Kubernetes namespace (not a containerd namespace). */
  namespace: string;
  attempt: number;
  state: PodState;
  createdAt?: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
}

export interface PodFilter {
  id?: string;
  state?: PodState;
  labelSelector?: Record<string, string>;
}

export interface PodNamespaceOptions {
  network: string;
  pid: string;
  ipc: string;
  targetId: string;
}

export interface PodDetail extends PodRecord {
  ip?: string;
  additionalIps: string[];
  network?: {ip: string; additionalIps: string[]};
  linux?: {namespaceOptions?: PodNamespaceOptions};
}

export interface PodStatusResult {
  pod: PodDetail;
  /** The runtime's verbose info map, each value JSON-parsed where it is JSON (containerd: `info`). */
  info: Record<string, unknown>;
  /** The whole response, for a describe view. */
  raw: unknown;
}

interface PbPodMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}
interface PbPodSandbox {
  id: string;
  metadata: PbPodMetadata | null;
  state: string;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtime_handler: string;
}
interface PbPodSandboxStatus extends PbPodSandbox {
  network: {ip: string; additional_ips: Array<{ip: string}>} | null;
  linux: {namespaces: {options: {network: string; pid: string; ipc: string; target_id: string} | null} | null} | null;
}

const POD_STATE: Record<string, PodState> = {SANDBOX_READY: 'ready', SANDBOX_NOTREADY: 'notready'};
const POD_STATE_WIRE: Record<PodState, string> = {ready: 'SANDBOX_READY', notready: 'SANDBOX_NOTREADY'};

export async function listPodSandboxes(conn: GrpcConnection, filter: PodFilter = {}): Promise<PodRecord[]> {
  const wire: Record<string, unknown> = {id: filter.id ?? '', label_selector: filter.labelSelector ?? {}};
  // An unset state must be left out: its zero value would mean "ready only".
  if (filter.state) wire.state = {state: POD_STATE_WIRE[filter.state]};
  const res = await conn.unary<object, {items: PbPodSandbox[]}>(PROTO, RUNTIME, 'ListPodSandbox', {filter: wire});
  return res.items.map(toPodRecord);
}

export async function podSandboxStatus(conn: GrpcConnection, id: string, verbose = true): Promise<PodStatusResult> {
  const res = await conn.unary<object, {status: PbPodSandboxStatus | null; info: Record<string, string>}>(
    PROTO,
    RUNTIME,
    'PodSandboxStatus',
    {pod_sandbox_id: id, verbose},
  );
  if (!res.status) throw new Error(`CRI PodSandboxStatus returned no status for ${id}`);
  const s = res.status;
  const ns = s.linux?.namespaces?.options;
  const additionalIps = s.network?.additional_ips.map((a) => a.ip) ?? [];
  const pod: PodDetail = {
    ...toPodRecord(s),
    ip: s.network?.ip || undefined,
    additionalIps,
    network: s.network ? {ip: s.network.ip, additionalIps} : undefined,
    linux: s.linux
      ? {namespaceOptions: ns ? {network: ns.network, pid: ns.pid, ipc: ns.ipc, targetId: ns.target_id} : undefined}
      : undefined,
  };
  return {pod, info: parseInfo(res.info), raw: res};
}

export function stopPodSandbox(conn: GrpcConnection, id: string): Promise<void> {
  return lifecycle(conn, 'StopPodSandbox', {pod_sandbox_id: id});
}

export function removePodSandbox(conn: GrpcConnection, id: string): Promise<void> {
  return lifecycle(conn, 'RemovePodSandbox', {pod_sandbox_id: id});
}

function toPodRecord(p: PbPodSandbox): PodRecord {
  return {
    id: p.id,
    name: p.metadata?.name ?? '',
    uid: p.metadata?.uid ?? '',
    namespace: p.metadata?.namespace ?? '',
    attempt: p.metadata?.attempt ?? 0,
    state: POD_STATE[p.state] ?? 'notready',
    createdAt: nanosToDate(p.created_at),
    labels: p.labels ?? {},
    annotations: p.annotations ?? {},
    runtimeHandler: p.runtime_handler,
  };
}
