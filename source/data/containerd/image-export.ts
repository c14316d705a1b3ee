// `ctr images export`: an image and every blob of it that the content store holds, as an OCI layout tarball.
import fs from 'node:fs';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import type {Descriptor} from './content-write.js';
import {MEDIA} from './image-archive.js';
import {TarWriter} from './tar.js';

export interface ExportResult {
  blobs: number;
  bytes: number;
  /** Platforms of an index whose manifests are not here (not pulled), left out as ctr does. */
  skipped: number;
}

interface Doc {
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

async function present(c: ContainerdClient, ns: string, digest: string): Promise<boolean> {
  try {
    await c.conn.unary('containerd/services/content/v1/content.proto', 'containerd.services.content.v1.Content', 'Info', {digest}, {namespace: ns});
    return true;
  } catch (e) {
    if (e instanceof UndockError && e.kind === 'not-found') return false;
    throw e;
  }
}

/** Writes `file` (which must not exist yet); progress is told the bytes written. */
export async function exportImage(c: ContainerdClient, ns: string, name: string, file: string, progress?: (bytes: number) => void): Promise<ExportResult> {
  const image = await c.getImage(ns, name);
  const target: Descriptor = {mediaType: image.target.mediaType, digest: image.target.digest, size: image.target.size};
  // Walk first (small documents only): which blobs go in.
  const blobs: Descriptor[] = [];
  let skipped = 0;
  const walk = async (d: Descriptor, optional: boolean): Promise<void> => {
    if (blobs.some((b) => b.digest === d.digest)) return;
    if (!(await present(c, ns, d.digest))) {
      if (optional) return void skipped++;
      throw new UndockError('not-found', `image ${name}: blob ${d.digest} is not in the content store`, 'pull the image again');
    }
    blobs.push(d);
    const isDoc = d.mediaType === MEDIA.ociIndex || d.mediaType === MEDIA.dockerList || /manifest\.v[12]\+json$/.test(d.mediaType);
    if (!isDoc) return;
    const doc = JSON.parse((await c.readBlob(ns, d.digest)).toString('utf8')) as Doc;
    for (const m of doc.manifests ?? []) await walk(m, true);
    if (doc.config) await walk(doc.config, false);
    for (const l of doc.layers ?? []) await walk(l, false);
  };
  await walk(target, false);
  if (fs.existsSync(file)) throw new UndockError('invalid', `export: ${file} already exists`, 'give a new file name');
  const tar = new TarWriter(file);
  let bytes = 0;
  try {
    tar.file('oci-layout', Buffer.from(JSON.stringify({imageLayoutVersion: '1.0.0'})));
    const bare = name.split('@')[0]!;
    const tag = bare.lastIndexOf(':') > bare.lastIndexOf('/') ? bare.slice(bare.lastIndexOf(':') + 1) : '';
    const annotations: Record<string, string> = {'io.containerd.image.name': name, ...(tag ? {'org.opencontainers.image.ref.name': tag} : {})};
    const index = {schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [{...target, annotations}]};
    tar.file('index.json', Buffer.from(JSON.stringify(index)));
    tar.dir('blobs');
    tar.dir('blobs/sha256');
    for (const b of blobs) {
      tar.begin(`blobs/${b.digest.replace(':', '/')}`, b.size);
      let n = 0;
      await c.conn.serverStream<object, {data: Buffer}>(
        'containerd/services/content/v1/content.proto',
        'containerd.services.content.v1.Content',
        'Read',
        {digest: b.digest, offset: '0', size: '0'},
        {
          namespace: ns,
          deadlineMs: 0,
          onMessage: (m) => {
            tar.write(m.data);
            n += m.data.length;
            progress?.(bytes + n);
          },
        },
      );
      if (n !== b.size) throw new UndockError('invalid', `blob ${b.digest} read ${n} bytes, its descriptor says ${b.size}`);
      tar.finish(n);
      bytes += n;
    }
    tar.close();
  } catch (e) {
    tar.abort();
    fs.rmSync(file, {force: true});
    throw e;
  }
  return {blobs: blobs.length, bytes, skipped};
}
