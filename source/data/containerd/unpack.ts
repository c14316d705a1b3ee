// Unpacking an image's layers into a snapshotter, as `ctr images import` does after writing the content.
import {randomBytes} from 'node:crypto';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {snapshotsProto, snapshotsService} from './containers.js';
import type {Descriptor} from './content-write.js';
import {chainIdOf} from './image-config.js';
import type {PbMount} from './rootfs.js';

const DIFF = {proto: 'containerd/services/diff/v1/diff.proto', service: 'containerd.services.diff.v1.Diff'};
// Applying a layer writes every file of it.
const APPLY_DEADLINE_MS = 10 * 60_000;

/** The gc label that makes an image's config keep its top snapshot (and so the whole chain). */
export const snapshotGcLabel = (snapshotter: string) => `containerd.io/gc.ref.snapshot.${snapshotter}`;

async function exists(c: ContainerdClient, ns: string, snapshotter: string, key: string): Promise<boolean> {
  try {
    await c.conn.unary(snapshotsProto, snapshotsService, 'Stat', {snapshotter, key}, {namespace: ns});
    return true;
  } catch (e) {
    if (e instanceof UndockError && e.kind === 'not-found') return false;
    throw e;
  }
}

/**
 * Each layer onto a snapshot committed under its ChainID (the name run looks for). Layers already
 * unpacked are skipped. Everything happens under the lease, so nothing is collected midway.
 */
export async function unpackLayers(
  c: ContainerdClient,
  ns: string,
  lease: string,
  snapshotter: string,
  layers: Descriptor[],
  diffIds: string[],
  progress: (done: number, total: number) => void,
): Promise<string> {
  if (layers.length !== diffIds.length) {
    throw new UndockError('invalid', `the image has ${layers.length} layers but its config lists ${diffIds.length} diff_ids`);
  }
  const opts = {namespace: ns, lease};
  let parent = '';
  for (let i = 0; i < layers.length; i++) {
    const chain = chainIdOf(diffIds.slice(0, i + 1));
    if (!(await exists(c, ns, snapshotter, chain))) {
      const key = `extract-${randomBytes(6).toString('hex')} ${chain}`;
      const prepared = await c.conn.unary<object, {mounts: PbMount[]}>(snapshotsProto, snapshotsService, 'Prepare', {snapshotter, key, parent}, opts);
      try {
        const layer = layers[i]!;
        const diff = {media_type: layer.mediaType, digest: layer.digest, size: String(layer.size), annotations: {}};
        const res = await c.conn.unary<object, {applied: {digest: string} | null}>(DIFF.proto, DIFF.service, 'Apply', {diff, mounts: prepared.mounts}, {...opts, deadlineMs: APPLY_DEADLINE_MS});
        if (res.applied?.digest !== diffIds[i]) {
          throw new UndockError('invalid', `layer ${i + 1} unpacked to ${res.applied?.digest ?? 'nothing'}, but the config says ${diffIds[i]}`);
        }
        await c.conn.unary(snapshotsProto, snapshotsService, 'Commit', {snapshotter, name: chain, key}, opts);
      } catch (e) {
        await c.conn.unary(snapshotsProto, snapshotsService, 'Remove', {snapshotter, key}, opts).catch(() => undefined);
        throw e;
      }
    }
    parent = chain;
    progress(i + 1, layers.length);
  }
  return parent;
}
