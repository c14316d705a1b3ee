import {UndockError} from '../errors.js';
import {decodeAny, type PbAny} from '../grpc/any.js';
import {toDate, type PbTimestamp} from '../grpc/types.js';
import type {ContainerdClient} from './client.js';
import {attachmentOf, detachNetwork} from '../cni/network.js';
import {setRestartStatus} from './restart-policy.js';
import {deleteTask, getTask, killTask, resumeTask, waitTask} from './tasks.js';
import {removeTty, TTY_LABEL} from './tty.js';

export const containersProto = 'containerd/services/containers/v1/containers.proto';
export const containersService = 'containerd.services.containers.v1.Containers';
export const snapshotsProto = 'containerd/services/snapshots/v1/snapshots.proto';
export const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';

const DEFAULT_CNI_PATH = ['/usr/lib/cni', '/opt/cni/bin'];

export interface ContainerRecord {
  id: string;
  labels: Record<string, string>;
  image: string;
  /** options: the decoded runtime options, e.g. containerd.runc.v1.Options {root, ...}. */
  runtime: {name: string; options?: unknown};
  /** The OCI runtime spec, decoded from its JSON. */
  spec?: unknown;
  snapshotter: string;
  snapshotKey: string;
  createdAt?: Date;
  updatedAt?: Date;
  extensions: Record<string, unknown>;
}

export interface PbContainer {
  id: string;
  labels: Record<string, string>;
  image: string;
  runtime: {name: string; options: PbAny | null} | null;
  spec: PbAny | null;
  snapshotter: string;
  snapshot_key: string;
  created_at: PbTimestamp | null;
  updated_at: PbTimestamp | null;
  extensions: Record<string, PbAny>;
}

/**
 * A property made when first read, then kept as a plain value: a list pane decodes none of its
 * containers' runtime options and extensions, which it never shows (at start that was the Any
 * payloads' protobuf root and its code generation, before the first rows).
 */
function lazy<T extends object, K extends string>(obj: T, key: K, make: () => unknown): void {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(obj, key, {value, enumerable: true, writable: true, configurable: true});
      return value;
    },
  });
}

/** withSpec: decode the OCI spec JSON (describe needs it; a list pane does not, and it is most of the cost). */
export function toContainerRecord(c: PbContainer, withSpec = true): ContainerRecord {
  const options = c.runtime?.options;
  const runtime: ContainerRecord['runtime'] = {name: c.runtime?.name ?? ''};
  if (options?.type_url) lazy(runtime, 'options', () => decodeAny(options));
  const record = {
    id: c.id,
    labels: c.labels ?? {},
    image: c.image,
    runtime,
    spec: withSpec && c.spec?.type_url ? decodeAny(c.spec) : undefined,
    snapshotter: c.snapshotter,
    snapshotKey: c.snapshot_key,
    createdAt: toDate(c.created_at),
    updatedAt: toDate(c.updated_at),
  } as ContainerRecord;
  lazy(record, 'extensions', () => Object.fromEntries(Object.entries(c.extensions ?? {}).map(([k, v]) => [k, decodeAny(v)])));
  return record;
}

/**
 * Every container in a namespace, through the streaming ListStream: one message per container, so a
 * thousand containers with their specs (~8.6 MB) never need one huge response.
 * filters: containerd filter strings (ORed), e.g. `labels."nerdctl/name"==web`.
 */
export async function listContainers(
  c: ContainerdClient,
  namespace: string,
  filters: string[] = [],
  opts: {withSpec?: boolean} = {},
): Promise<ContainerRecord[]> {
  const out: ContainerRecord[] = [];
  const withSpec = opts.withSpec ?? true;
  await c.conn.serverStream<object, {container: PbContainer}>(containersProto, containersService, 'ListStream', {filters}, {
    namespace,
    deadlineMs: 30_000,
    onMessage: (m) => out.push(toContainerRecord(m.container, withSpec)),
  });
  return out;
}

/** One container; rejects with an UndockError of kind 'not-found' when there is none. */
export async function getContainer(c: ContainerdClient, namespace: string, id: string): Promise<ContainerRecord> {
  const res = await c.conn.unary<object, {container: PbContainer}>(containersProto, containersService, 'Get', {id}, {namespace});
  return toContainerRecord(res.container);
}

/**
 * Removes a container as `ctr containers rm` after `ctr tasks rm -f` would: SIGKILL and delete its
 * task if it has one, delete the container record, then remove its snapshot. With removeSnapshot
 * false the snapshot is left to containerd, whose garbage collector removes it soon after anyway
 * unless something else (a lease, a containerd.io/gc.root label) holds on to it.
 */
export async function deleteContainer(
  c: ContainerdClient,
  namespace: string,
  id: string,
  opts: {removeSnapshot?: boolean; cniPluginDirs?: string[]} = {},
): Promise<void> {
  if (c.conn.readonly) throw new UndockError('readonly', `refused to delete ${id}: undock runs with --readonly`, 'restart without --readonly to change things');
  const container = await getContainer(c, namespace, id);
  // The restart monitor would start a new task between the kill and the delete.
  await setRestartStatus(c, namespace, id, container.labels, 'stopped');
  const task = await getTask(c, namespace, id);
  if (task) {
    if (task.status !== 'stopped') {
      // A frozen process does not act on SIGKILL until it is thawed.
      if (task.status === 'paused' || task.status === 'pausing') await resumeTask(c, namespace, id).catch(() => undefined);
      await killTask(c, namespace, id, 9, {all: true}).catch(ignoreNotFound);
      // containerd refuses to delete a task that has not exited yet.
      await waitTask(c, namespace, id, 10_000).catch(ignoreNotFound);
    }
    await deleteTask(c, namespace, id).catch(ignoreNotFound);
  }
  // The network goes before the record that says how to release it: if DEL fails, delete can be tried again.
  const network = attachmentOf(container.labels);
  if (network) {
    await detachNetwork(network, opts.cniPluginDirs ?? DEFAULT_CNI_PATH).catch((e: unknown) => {
      throw new UndockError('unknown', `container ${id}: its task is gone but its network was not released: ${(e as Error).message}`, 'fix the cause and delete it again');
    });
  }
  const ttyDir = container.labels[TTY_LABEL];
  if (ttyDir) removeTty(ttyDir);
  await c.conn.unary(containersProto, containersService, 'Delete', {id}, {namespace});
  if ((opts.removeSnapshot ?? true) && container.snapshotKey && container.snapshotter) {
    try {
      await c.conn.unary(
        snapshotsProto,
        snapshotsService,
        'Remove',
        {snapshotter: container.snapshotter, key: container.snapshotKey},
        {namespace},
      );
    } catch (e) {
      if (e instanceof UndockError && e.kind === 'not-found') return;
      const why = e instanceof Error ? e.message : String(e);
      throw new UndockError(
        e instanceof UndockError ? e.kind : 'unknown',
        `container ${id} deleted, but its snapshot ${container.snapshotKey} (${container.snapshotter}) was not removed: ${why}`,
        `remove it with: ctr -n ${namespace} snapshots --snapshotter ${container.snapshotter} rm ${container.snapshotKey}`,
      );
    }
  }
}

function ignoreNotFound(e: unknown): undefined {
  if (e instanceof UndockError && e.kind === 'not-found') return undefined;
  throw e;
}
