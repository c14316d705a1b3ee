// The image's unpacked layers for `run`: which snapshotter holds them, and reading files of a prepared snapshot.
import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {snapshotsProto, snapshotsService} from './containers.js';

/** A mount of a prepared snapshot, as Snapshots.Prepare returns it and Tasks.Create takes it. */
export interface PbMount {
  type: string;
  source: string;
  target: string;
  options: string[];
}

/**
 * The snapshotter holding the image's unpacked layers. An image is unpacked per snapshotter (ctr
 * import/pull --snapshotter, CRI's configured one), so ask each candidate for the top layer's
 * committed snapshot: an explicit choice or CONTAINERD_SNAPSHOTTER (what ctr and nerdctl read) is
 * the only candidate; otherwise containerd's default overlayfs, then native (where overlay
 * mounts do not work).
 */
export async function pickSnapshotter(c: ContainerdClient, ns: string, chainId: string, image: string, wanted?: string): Promise<string> {
  const explicit = wanted || process.env.CONTAINERD_SNAPSHOTTER;
  const candidates = explicit ? [explicit] : ['overlayfs', 'native'];
  const notLoaded: string[] = [];
  for (const snapshotter of candidates) {
    try {
      await c.conn.unary(snapshotsProto, snapshotsService, 'Stat', {snapshotter, key: chainId}, {namespace: ns});
      return snapshotter;
    } catch (e) {
      // not-found: not unpacked there; invalid: that snapshotter is not loaded.
      if (!(e instanceof UndockError && (e.kind === 'not-found' || e.kind === 'invalid'))) throw e;
      if (e.kind === 'invalid') notLoaded.push(snapshotter);
    }
  }
  if (notLoaded.length === candidates.length) {
    throw new UndockError('invalid', `containerd has no ${notLoaded.join(' or ')} snapshotter loaded`, 'see `ctr plugins ls`; set CONTAINERD_SNAPSHOTTER to one it has');
  }
  const list = candidates.join(' or ');
  throw new UndockError(
    'not-found',
    `image ${image} is not unpacked for the ${list} snapshotter (no snapshot ${chainId.slice(0, 19)}…)`,
    `import or pull it again with --snapshotter ${candidates[0]}, or set CONTAINERD_SNAPSHOTTER`,
  );
}

/** Reads a file of the prepared rootfs from the snapshot's own directories (overlay or bind). */
export function readRootfsFile(mounts: PbMount[], rel: string): string | undefined {
  const dirs: string[] = [];
  for (const m of mounts) {
    if (m.type === 'bind') dirs.push(m.source);
    if (m.type === 'overlay') {
      for (const opt of m.options) {
        if (opt.startsWith('upperdir=')) dirs.unshift(opt.slice('upperdir='.length));
        if (opt.startsWith('lowerdir=')) dirs.push(...opt.slice('lowerdir='.length).split(':'));
      }
    }
  }
  for (const dir of dirs) {
    try {
      return fs.readFileSync(path.join(dir, rel), 'utf8');
    } catch {
      // not in this layer
    }
  }
  return undefined;
}
