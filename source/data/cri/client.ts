import {GrpcConnection, type CallOptions} from '../grpc/connection.js';
import {nanosToDate} from '../grpc/types.js';

const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const IMAGES = 'runtime.v1.ImageService';

// Stopping and removing wait for processes, CNI teardown and snapshot removal: 5 s is too short.
const LIFECYCLE_DEADLINE_MS = 60_000;
// A pull downloads and unpacks whole images.
const PULL_DEADLINE_MS = 10 * 60_000;

export interface CriVersion {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface CriImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: string;
  pinned?: boolean;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface RuntimeStatusResult {
  conditions: RuntimeCondition[];
  info: Record<string, unknown>;
}

export type PodState = 'ready' | 'notready';
export type CriContainerState = 'created' | 'running' | 'exited' | 'unknown';

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

export interface CriImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  pinned: boolean;
  username: string;
  uid?: number;
}

export interface ImageStatusResult {
  /** Absent when the runtime does not have the image (CRI answers without an error). */
  image?: CriImageRecord;
  info: Record<string, unknown>;
  raw: unknown;
}

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

// ---- wire shapes (keepCase, longs and enums as strings, defaults filled in)

type Int64 = string;
interface PbValue {
  value: Int64;
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
interface PbContainerMetadata {
  name: string;
  attempt: number;
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
interface PbImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: Int64;
  uid: PbValue | null;
  username: string;
  pinned: boolean;
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

const POD_STATE: Record<string, PodState> = {SANDBOX_READY: 'ready', SANDBOX_NOTREADY: 'notready'};
const POD_STATE_WIRE: Record<PodState, string> = {ready: 'SANDBOX_READY', notready: 'SANDBOX_NOTREADY'};
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

/** Typed calls to the CRI runtime.v1 API (containerd's CRI plugin on the same socket by default). */
export class CriClient {
  readonly conn: GrpcConnection;
  constructor(conn: GrpcConnection) {
    this.conn = conn;
  }

  version(opts: CallOptions = {}): Promise<CriVersion> {
    return this.conn.unary<object, CriVersion>(PROTO, RUNTIME, 'Version', {version: 'v1'}, opts);
  }

  async listImages(): Promise<CriImage[]> {
    const res = await this.conn.unary<object, {images: CriImage[]}>(PROTO, IMAGES, 'ListImages', {});
    return res.images;
  }

  /** CRI Status: the runtime's conditions (RuntimeReady, NetworkReady) and its verbose info, JSON-parsed. */
  async runtimeStatus(verbose = true): Promise<RuntimeStatusResult> {
    const res = await this.conn.unary<object, {status: {conditions: RuntimeCondition[]} | null; info: Record<string, string>}>(
      PROTO,
      RUNTIME,
      'Status',
      {verbose},
    );
    return {conditions: res.status?.conditions ?? [], info: parseInfo(res.info)};
  }

  /** The verbose info map of CRI Status; containerd puts its CRI config (sandboxImage, ...) under `config`. */
  async statusInfo(): Promise<Record<string, unknown>> {
    return (await this.runtimeStatus(true)).info;
  }

  // ---- pods

  async listPodSandboxes(filter: PodFilter = {}): Promise<PodRecord[]> {
    const wire: Record<string, unknown> = {id: filter.id ?? '', label_selector: filter.labelSelector ?? {}};
    // An unset state must be left out: its zero value would mean "ready only".
    if (filter.state) wire.state = {state: POD_STATE_WIRE[filter.state]};
    const res = await this.conn.unary<object, {items: PbPodSandbox[]}>(PROTO, RUNTIME, 'ListPodSandbox', {filter: wire});
    return res.items.map(toPodRecord);
  }

  async podSandboxStatus(id: string, verbose = true): Promise<PodStatusResult> {
    const res = await this.conn.unary<object, {status: PbPodSandboxStatus | null; info: Record<string, string>}>(
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

  stopPodSandbox(id: string): Promise<void> {
    return this.lifecycle('StopPodSandbox', {pod_sandbox_id: id});
  }

  removePodSandbox(id: string): Promise<void> {
    return this.lifecycle('RemovePodSandbox', {pod_sandbox_id: id});
  }

  // ---- containers

  async listContainers(filter: CriContainerFilter = {}): Promise<CriContainerRecord[]> {
    const wire: Record<string, unknown> = {
      id: filter.id ?? '',
      pod_sandbox_id: filter.podSandboxId ?? '',
      label_selector: filter.labelSelector ?? {},
    };
    if (filter.state) wire.state = {state: CONTAINER_STATE_WIRE[filter.state]};
    const res = await this.conn.unary<object, {containers: PbContainer[]}>(PROTO, RUNTIME, 'ListContainers', {filter: wire});
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

  async containerStatus(id: string, verbose = true): Promise<ContainerStatusResult> {
    const res = await this.conn.unary<object, {status: PbContainerStatus | null; info: Record<string, string>}>(
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
  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return this.lifecycle(
      'StopContainer',
      {container_id: id, timeout: String(Math.max(0, Math.floor(timeoutSeconds)))},
      LIFECYCLE_DEADLINE_MS + Math.max(0, timeoutSeconds) * 1000,
    );
  }

  removeContainer(id: string): Promise<void> {
    return this.lifecycle('RemoveContainer', {container_id: id});
  }

  async listContainerStats(filter: ContainerStatsFilter = {}): Promise<ContainerStatsRecord[]> {
    const wire = {id: filter.id ?? '', pod_sandbox_id: filter.podSandboxId ?? '', label_selector: filter.labelSelector ?? {}};
    const res = await this.conn.unary<object, {stats: PbContainerStats[]}>(PROTO, RUNTIME, 'ListContainerStats', {filter: wire});
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

  // ---- images

  async imageStatus(ref: string, verbose = false): Promise<ImageStatusResult> {
    const res = await this.conn.unary<object, {image: PbImage | null; info: Record<string, string>}>(
      PROTO,
      IMAGES,
      'ImageStatus',
      {image: {image: ref}, verbose},
    );
    const i = res.image;
    const image: CriImageRecord | undefined = i
      ? {
          id: i.id,
          repoTags: i.repo_tags,
          repoDigests: i.repo_digests,
          size: Number(i.size),
          pinned: i.pinned,
          username: i.username,
          uid: num(i.uid),
        }
      : undefined;
    return {image, info: parseInfo(res.info), raw: res};
  }

  /** CRI PullImage: unary, no progress (see pull.ts for progress); the deadline is minutes, not seconds. */
  async pullImage(ref: string, opts: {deadlineMs?: number} = {}): Promise<{imageRef: string}> {
    const res = await this.conn.unary<object, {image_ref: string}>(
      PROTO,
      IMAGES,
      'PullImage',
      {image: {image: ref}},
      {deadlineMs: opts.deadlineMs ?? PULL_DEADLINE_MS},
    );
    return {imageRef: res.image_ref};
  }

  /** Removes the image the reference names, with all its tags and digests. Succeeds when it is already gone. */
  async removeImage(ref: string): Promise<void> {
    await this.conn.unary(PROTO, IMAGES, 'RemoveImage', {image: {image: ref}}, {deadlineMs: LIFECYCLE_DEADLINE_MS});
  }

  private async lifecycle(method: string, req: object, deadlineMs = LIFECYCLE_DEADLINE_MS): Promise<void> {
    await this.conn.unary(PROTO, RUNTIME, method, req, {deadlineMs});
  }
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

/** Restarts as the kubelet counts them (its annotation), else the CRI attempt number. */
export function restartCount(annotations: Record<string, string> | undefined, attempt: number): number {
  const n = Number(annotations?.['io.kubernetes.container.restartCount']);
  return Number.isInteger(n) && n >= 0 ? n : attempt;
}

/** The verbose info map holds JSON documents as strings; anything that is not JSON stays a string. */
function parseInfo(info: Record<string, string> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info ?? {})) {
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** Wrapped uint64 counters; past 2^53 they lose precision, which no display or rate notices. */
function num(v: PbValue | null | undefined): number | undefined {
  return v ? Number(v.value) : undefined;
}
