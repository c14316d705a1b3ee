// Writing into containerd: leases, blobs through the Content Write stream, image records.
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import {UndockError} from '../errors.js';
import type {ContainerdClient, ImageRecord} from './client.js';

const CONTENT = {proto: 'containerd/services/content/v1/content.proto', service: 'containerd.services.content.v1.Content'};
const LEASES = {proto: 'containerd/services/leases/v1/leases.proto', service: 'containerd.services.leases.v1.Leases'};
const IMAGES = {proto: 'containerd/services/images/v1/images.proto', service: 'containerd.services.images.v1.Images'};

const CHUNK = 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/**
 * A lease that holds everything made under it (blobs, snapshots) from garbage collection until it
 * is deleted; it expires by itself after an hour (containerd.io/gc.expire) should undock die mid-import.
 */
export async function createLease(c: ContainerdClient, ns: string): Promise<string> {
  const id = `undock-import-${randomBytes(6).toString('hex')}`;
  const expire = new Date(Date.now() + 3600_000).toISOString();
  await c.conn.unary(LEASES.proto, LEASES.service, 'Create', {id, labels: {'containerd.io/gc.expire': expire}}, {namespace: ns});
  return id;
}

export async function deleteLease(c: ContainerdClient, ns: string, id: string): Promise<void> {
  await c.conn.unary(LEASES.proto, LEASES.service, 'Delete', {id, sync: false}, {namespace: ns});
}

/** The blob's labels when containerd has it, else undefined. */
export async function blobInfo(c: ContainerdClient, ns: string, digest: string): Promise<Record<string, string> | undefined> {
  try {
    const res = await c.conn.unary<object, {info: {labels: Record<string, string>}}>(CONTENT.proto, CONTENT.service, 'Info', {digest}, {namespace: ns});
    return res.info.labels ?? {};
  } catch (e) {
    if (e instanceof UndockError && e.kind === 'not-found') return undefined;
    throw e;
  }
}

/** Where a blob's bytes come from: a range of a file (an archive entry) or a buffer. */
export type BlobSource = {file: string; offset: number} | {data: Buffer};

/**
 * Puts one blob into the content store under the lease, with its labels. A blob already there is
 * added to the lease and given the labels it lacks (a re-import keeps its gc references).
 * `progress` is told the bytes written so far of this blob.
 */
export async function writeBlob(
  c: ContainerdClient,
  ns: string,
  lease: string,
  desc: Descriptor,
  from: BlobSource,
  labels: Record<string, string>,
  progress?: (written: number) => void,
): Promise<'written' | 'present'> {
  const have = await blobInfo(c, ns, desc.digest);
  if (have) {
    await c.conn.unary(LEASES.proto, LEASES.service, 'AddResource', {id: lease, resource: {id: desc.digest, type: 'content'}}, {namespace: ns});
    const missing = Object.entries(labels).filter(([k, v]) => have[k] !== v);
    if (missing.length) {
      await c.conn.unary(
        CONTENT.proto,
        CONTENT.service,
        'Update',
        {info: {digest: desc.digest, labels: Object.fromEntries(missing)}, update_mask: {paths: missing.map(([k]) => `labels.${k}`)}},
        {namespace: ns},
      );
    }
    progress?.(desc.size);
    return 'present';
  }
  const ref = `undock-import-${desc.digest}`;
  const w = c.conn.exchange<object, {offset: string}>(CONTENT.proto, CONTENT.service, 'Write', {namespace: ns, lease});
  const fh = 'file' in from ? await fs.promises.open(from.file, 'r') : undefined;
  try {
    // STAT first: an ingest interrupted earlier under the same ref resumes where it stopped.
    let offset = Number((await w.send({action: 'STAT', ref, total: String(desc.size), expected: desc.digest})).offset);
    if (offset > desc.size) offset = 0;
    const buf = Buffer.alloc(Math.min(CHUNK, Math.max(desc.size, 1)));
    while (offset < desc.size) {
      const n = Math.min(buf.length, desc.size - offset);
      let data: Buffer;
      if (fh && 'file' in from) {
        const {bytesRead} = await fh.read(buf, 0, n, from.offset + offset);
        if (bytesRead !== n) throw new UndockError('invalid', `${from.file} ended inside blob ${desc.digest}`);
        data = buf.subarray(0, n);
      } else {
        data = (from as {data: Buffer}).data.subarray(offset, offset + n);
      }
      await w.send({action: 'WRITE', ref, total: String(desc.size), expected: desc.digest, offset: String(offset), data});
      offset += n;
      progress?.(offset);
    }
    await w.send({action: 'COMMIT', ref, total: String(desc.size), expected: desc.digest, offset: String(offset), labels});
    return 'written';
  } catch (e) {
    w.cancel();
    throw e;
  } finally {
    w.end();
    await fh?.close();
  }
}

/** Images.Create: a new record; fails when the name is taken (ALREADY_EXISTS), as `ctr images tag` without --force. */
export async function createImage(c: ContainerdClient, ns: string, name: string, target: Descriptor, labels: Record<string, string> = {}): Promise<void> {
  const image = {name, labels, target: {media_type: target.mediaType, digest: target.digest, size: String(target.size), annotations: {}}};
  await c.conn.unary(IMAGES.proto, IMAGES.service, 'Create', {image}, {namespace: ns});
}

/** Creates the record, or points an existing one at the new target (what `ctr images import` does). */
export async function putImage(c: ContainerdClient, ns: string, name: string, target: Descriptor, labels: Record<string, string> = {}): Promise<'created' | 'updated'> {
  const exists = await c.getImage(ns, name).then(
    () => true,
    (e: unknown) => {
      if (e instanceof UndockError && e.kind === 'not-found') return false;
      throw e;
    },
  );
  if (!exists) {
    await createImage(c, ns, name, target, labels);
    return 'created';
  }
  const image = {name, labels, target: {media_type: target.mediaType, digest: target.digest, size: String(target.size), annotations: {}}};
  await c.conn.unary(IMAGES.proto, IMAGES.service, 'Update', {image}, {namespace: ns});
  return 'updated';
}

/** A new name for an image, pointing at the same target (`ctr images tag`). */
export async function tagImage(c: ContainerdClient, ns: string, source: ImageRecord, newName: string): Promise<void> {
  await createImage(c, ns, newName, source.target, source.labels);
}
