// CRI containers: listing, status, stop and remove, and their records.
import type {GrpcConnection} from '../grpc/connection.js';
import {nanosToDate} from '../grpc/types.js';
import {parseInfo, restartCount} from './records.js';
import {lifecycle, LIFECYCLE_DEADLINE_MS, PROTO, RUNTIME, type Int64, type PbContainerMetadata} from './wire.js';

export type CriContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface CriContainerRecord {
  id: string;
  podSandboxId: string;
  /** metadata.name: the container's name in its pod. */
  name: string;
  attempt: number;
  /** kubelet's io.kubernetes.container.restartCount annotation where set, otherwise the attempt. */
  restarts: number;
  /** The image as the container was created from (image.image). */
  image: string;
  imageRef: string;
  state: CriContainerState;
  createdAt?: Date;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface CriContainerFilter {
  podSandboxId?: string;
  id?: string;
  state?: CriContainerState;
  labelSelector?: Record<string, string>;
}

export interface CriMount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
  selinuxRelabel: boolean;
  propagation: string;
}

export interface CriContainerStatus {
  id: string;
  /** From the verbose info (sandboxID); the status message itself does not carry it. */
  podSandboxId?: string;
  name: string;
  attempt: number;
  restarts: number;
  state: CriContainerState;
  createdAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Absolute path of the CRI log file (pod log directory + the container's log path). */
  logPath: string;
  mounts: CriMount[];
}

export interface ContainerStatusResult {
  status: CriContainerStatus;
  info: Record<string, unknown>;
  raw: unknown;
}

interface PbImageSpec {
  image: string;
}
interface PbContainer {
  id: string;
  pod_sandbox_id: string;
  metadata: PbContainerMetadata | null;
  image: PbImageSpec | null;
  image_ref: string;
  state: string;
  created_at: Int64;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface PbMount {
  container_path: string;
  host_path: string;
  readonly: boolean;
  selinux_relabel: boolean;
  propagation: string;
}
interface PbContainerStatus {
  id: string;
  metadata: PbContainerMetadata | null;
  state: string;
  created_at: Int64;
  started_at: Int64;
  finished_at: Int64;
  exit_code: number;
  image: PbImageSpec | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: PbMount[];
  log_path: string;
}

const CONTAINER_STATE: Record<string, CriContainerState> = {
  CONTAINER_CREATED: 'created',
  CONTAINER_RUNNING: 'running',
  CONTAINER_EXITED: 'exited',
  CONTAINER_UNKNOWN: 'unknown',
};
const CONTAINER_STATE_WIRE: Record<CriContainerState, string> = {
  created: 'CONTAINER_CREATED',
  running: 'CONTAINER_RUNNING',
  exited: 'CONTAINER_EXITED',
  unknown: 'CONTAINER_UNKNOWN',
};

export async function listContainers(conn: GrpcConnection, filter: CriContainerFilter = {}): Promise<CriContainerRecord[]> {
  const wire: Record<string, unknown> = {
    id: filter.id ?? '',
    pod_sandbox_id: filter.podSandboxId ?? '',
    label_selector: filter.labelSelector ?? {},
  };
  if (filter.state) wire.state = {state: CONTAINER_STATE_WIRE[filter.state]};
  const res = await conn.unary<object, {containers: PbContainer[]}>(PROTO, RUNTIME, 'ListContainers', {filter: wire});
  return res.containers.map((c) => {
    const attempt = c.metadata?.attempt ?? 0;
    return {
      id: c.id,
      podSandboxId: c.pod_sandbox_id,
      name: c.metadata?.name ?? '',
      attempt,
      restarts: restartCount(c.annotations, attempt),
      image: c.image?.image ?? '',
      imageRef: c.image_ref,
      state: CONTAINER_STATE[c.state] ?? 'unknown',
      createdAt: nanosToDate(c.created_at),
      labels: c.labels ?? {},
      annotations: c.annotations ?? {},
    };
  });
}

export async function containerStatus(conn: GrpcConnection, id: string, verbose = true): Promise<ContainerStatusResult> {
  const res = await conn.unary<object, {status: PbContainerStatus | null; info: Record<string, string>}>(
    PROTO,
    RUNTIME,
    'ContainerStatus',
    {container_id: id, verbose},
  );
  if (!res.status) throw new Error(`CRI ContainerStatus returned no status for ${id}`);
  const s = res.status;
  const info = parseInfo(res.info);
  const attempt = s.metadata?.attempt ?? 0;
  const sandboxId = (info.info as {sandboxID?: unknown} | undefined)?.sandboxID;
  const status: CriContainerStatus = {
    id: s.id,
    podSandboxId: typeof sandboxId === 'string' ? sandboxId : undefined,
    name: s.metadata?.name ?? '',
    attempt,
    restarts: restartCount(s.annotations, attempt),
    state: CONTAINER_STATE[s.state] ?? 'unknown',
    createdAt: nanosToDate(s.created_at),
    startedAt: nanosToDate(s.started_at),
    finishedAt: nanosToDate(s.finished_at),
    exitCode: s.exit_code,
    reason: s.reason,
    message: s.message,
    image: s.image?.image ?? '',
    imageRef: s.image_ref,
    labels: s.labels ?? {},
    annotations: s.annotations ?? {},
    logPath: s.log_path,
    mounts: (s.mounts ?? []).map((m) => ({
      containerPath: m.container_path,
      hostPath: m.host_path,
      readonly: m.readonly,
      selinuxRelabel: m.selinux_relabel,
      propagation: m.propagation,
    })),
  };
  return {status, info, raw: res};
}

/** Sends the stop signal, then SIGKILL after timeoutSeconds; the call waits for that, so its deadline is longer. */
export function stopContainer(conn: GrpcConnection, id: string, timeoutSeconds: number): Promise<void> {
  return lifecycle(
    conn,
    'StopContainer',
    {container_id: id, timeout: String(Math.max(0, Math.floor(timeoutSeconds)))},
    LIFECYCLE_DEADLINE_MS + Math.max(0, timeoutSeconds) * 1000,
  );
}

export function removeContainer(conn: GrpcConnection, id: string): Promise<void> {
  return lifecycle(conn, 'RemoveContainer', {container_id: id});
}
