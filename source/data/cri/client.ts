import {GrpcConnection, type CallOptions} from '../grpc/connection.js';
import * as containers from './containers.js';
import type {ContainerStatusResult, CriContainerFilter, CriContainerRecord} from './containers.js';
import * as images from './images.js';
import type {CriImage, FilesystemUsage, ImageStatusResult} from './images.js';
import * as pods from './pods.js';
import type {PodFilter, PodRecord, PodStatusResult} from './pods.js';
import * as runtime from './runtime.js';
import type {CriVersion, RuntimeStatusResult} from './runtime.js';
import * as stats from './stats.js';
import type {ContainerStatsFilter, ContainerStatsRecord, PodStatsRecord} from './stats.js';
import * as portForward from './port-forward.js';

/**
 * Typed calls to the CRI runtime.v1 API (containerd's CRI plugin on the same socket by default).
 * One object over one connection for callers; each concern's calls and records live in their own module.
 */
export class CriClient {
  readonly conn: GrpcConnection;
  constructor(conn: GrpcConnection) {
    this.conn = conn;
  }

  version(opts: CallOptions = {}): Promise<CriVersion> {
    return runtime.version(this.conn, opts);
  }

  /** CRI Status: the runtime's conditions (RuntimeReady, NetworkReady) and its verbose info, JSON-parsed. */
  runtimeStatus(verbose = true): Promise<RuntimeStatusResult> {
    return runtime.runtimeStatus(this.conn, verbose);
  }

  /** The verbose info map of CRI Status; containerd puts its CRI config (sandboxImage, ...) under `config`. */
  async statusInfo(): Promise<Record<string, unknown>> {
    return (await this.runtimeStatus(true)).info;
  }

  // ---- pods

  listPodSandboxes(filter: PodFilter = {}): Promise<PodRecord[]> {
    return pods.listPodSandboxes(this.conn, filter);
  }

  podSandboxStatus(id: string, verbose = true): Promise<PodStatusResult> {
    return pods.podSandboxStatus(this.conn, id, verbose);
  }

  stopPodSandbox(id: string): Promise<void> {
    return pods.stopPodSandbox(this.conn, id);
  }

  removePodSandbox(id: string): Promise<void> {
    return pods.removePodSandbox(this.conn, id);
  }

  // ---- containers

  listContainers(filter: CriContainerFilter = {}): Promise<CriContainerRecord[]> {
    return containers.listContainers(this.conn, filter);
  }

  containerStatus(id: string, verbose = true): Promise<ContainerStatusResult> {
    return containers.containerStatus(this.conn, id, verbose);
  }

  /** Sends the stop signal, then SIGKILL after timeoutSeconds; the call waits for that, so its deadline is longer. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    return containers.stopContainer(this.conn, id, timeoutSeconds);
  }

  removeContainer(id: string): Promise<void> {
    return containers.removeContainer(this.conn, id);
  }

  listContainerStats(filter: ContainerStatsFilter = {}): Promise<ContainerStatsRecord[]> {
    return stats.listContainerStats(this.conn, filter);
  }

  listPodSandboxStats(): Promise<PodStatsRecord[]> {
    return stats.listPodSandboxStats(this.conn);
  }

  podSandboxStats(id: string): Promise<PodStatsRecord | undefined> {
    return stats.podSandboxStats(this.conn, id);
  }

  /** CRI PortForward: a one-time streaming URL for the pod's ports (portforward.k8s.io over WebSocket). */
  portForwardUrl(podSandboxId: string, ports: number[]): Promise<string> {
    return portForward.portForwardUrl(this.conn, podSandboxId, ports);
  }

  // ---- images

  listImages(): Promise<CriImage[]> {
    return images.listImages(this.conn);
  }

  imageStatus(ref: string, verbose = false): Promise<ImageStatusResult> {
    return images.imageStatus(this.conn, ref, verbose);
  }

  /** CRI PullImage: unary, no progress (see pull.ts for progress); the deadline is minutes, not seconds. */
  pullImage(ref: string, opts: {deadlineMs?: number} = {}): Promise<{imageRef: string}> {
    return images.pullImage(this.conn, ref, opts);
  }

  /** Removes the image the reference names, with all its tags and digests. Succeeds when it is already gone. */
  removeImage(ref: string): Promise<void> {
    return images.removeImage(this.conn, ref);
  }

  /** CRI ImageFsInfo (crictl imagefsinfo). */
  imageFsInfo(): Promise<FilesystemUsage[]> {
    return images.imageFsInfo(this.conn);
  }
}
