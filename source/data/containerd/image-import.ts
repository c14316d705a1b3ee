// `ctr images import`: an archive's blobs into the content store under a lease, the image records, then unpack.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {createLease, deleteLease, putImage, writeBlob} from './content-write.js';
import {planArchive} from './image-archive.js';
import {chainIdOf} from './image-config.js';
import {indexTar, uncompressedTar} from './tar.js';
import {snapshotGcLabel, unpackLayers} from './unpack.js';

export interface ImportProgress {
  stage: 'reading' | 'writing' | 'unpacking';
  bytes: number;
  total: number;
  blobs: number;
  blobCount: number;
  /** While unpacking: layers done of all layers. */
  layers?: [number, number];
}

export interface ImportResult {
  format: 'docker' | 'oci';
  images: Array<{name: string; digest: string; created: boolean}>;
  bytesWritten: number;
  blobsPresent: number;
}

export interface ImportOptions {
  /** Where the layers are unpacked (so `run` finds them); empty: not unpacked. */
  snapshotter: string;
  progress?: (p: ImportProgress) => void;
}

export async function importArchive(c: ContainerdClient, ns: string, file: string, opts: ImportOptions): Promise<ImportResult> {
  const progress = opts.progress ?? (() => {});
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new UndockError('not-found', `import: no file ${file}`, 'give the path of a `docker save` archive or an OCI tarball');
  }
  if (!stat.isFile()) throw new UndockError('invalid', `import: ${file} is not a file`);
  progress({stage: 'reading', bytes: 0, total: stat.size, blobs: 0, blobCount: 0});
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'undock-import-'));
  let lease: string | undefined;
  try {
    const tar = await uncompressedTar(file, path.join(tmp, 'archive.tar'));
    const base = path.basename(file).replace(/(\.tar)?(\.gz|\.tgz)?$/, '').replace(/[^a-zA-Z0-9_.-]/g, '-').toLowerCase() || 'import';
    const plan = await planArchive(tar, await indexTar(tar), base);
    // The config keeps its unpacked snapshot chain once the image exists (gc.ref.snapshot).
    if (opts.snapshotter) {
      for (const img of plan.images) {
        const blob = plan.blobs.find((b) => b.desc.digest === img.configDigest);
        if (blob && img.diffIds.length) blob.labels = {...blob.labels, [snapshotGcLabel(opts.snapshotter)]: chainIdOf(img.diffIds)};
      }
    }
    const total = plan.blobs.reduce((n, b) => n + b.desc.size, 0);
    lease = await createLease(c, ns);
    let done = 0;
    let written = 0;
    let present = 0;
    for (const [i, b] of plan.blobs.entries()) {
      const state = await writeBlob(c, ns, lease, b.desc, b.from, b.labels, (n) =>
        progress({stage: 'writing', bytes: done + n, total, blobs: i, blobCount: plan.blobs.length}),
      );
      done += b.desc.size;
      if (state === 'written') written += b.desc.size;
      else present++;
    }
    progress({stage: 'writing', bytes: total, total, blobs: plan.blobs.length, blobCount: plan.blobs.length});
    const images: ImportResult['images'] = [];
    for (const img of plan.images) {
      if (opts.snapshotter) {
        await unpackLayers(c, ns, lease, opts.snapshotter, img.layers, img.diffIds, (d, n) =>
          progress({stage: 'unpacking', bytes: total, total, blobs: plan.blobs.length, blobCount: plan.blobs.length, layers: [d, n]}),
        );
      }
      const how = await putImage(c, ns, img.name, img.target);
      images.push({name: img.name, digest: img.target.digest, created: how === 'created'});
    }
    return {format: plan.format, images, bytesWritten: written, blobsPresent: present};
  } finally {
    // The image records hold the content now; without them the lease's end lets GC take what was written.
    if (lease) await deleteLease(c, ns, lease).catch(() => undefined);
    await fs.promises.rm(tmp, {recursive: true, force: true});
  }
}
