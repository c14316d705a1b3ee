// Reading an image archive (`docker save` or an OCI layout tarball) into the blobs and images to import.
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import {UndockError} from '../errors.js';
import type {BlobSource, Descriptor} from './content-write.js';
import {hostPlatform, platformString} from './image-content.js';
import {readEntry, type TarEntry} from './tar.js';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};
const isIndex = (t: string) => t === MEDIA.ociIndex || t === MEDIA.dockerList;

export interface PlannedBlob {
  desc: Descriptor;
  from: BlobSource;
  labels: Record<string, string>;
}

export interface PlannedImage {
  name: string;
  target: Descriptor;
  /** The host platform's manifest: what is unpacked. */
  layers: Descriptor[];
  diffIds: string[];
  configDigest: string;
}

export interface ArchivePlan {
  format: 'docker' | 'oci';
  /** Children before parents: a parent's gc labels name blobs that are already there. */
  blobs: PlannedBlob[];
  images: PlannedImage[];
}

interface Json {
  mediaType?: string;
  manifests?: Array<Descriptor & {platform?: {os?: string; architecture?: string; variant?: string}}>;
  config?: Descriptor;
  layers?: Descriptor[];
  rootfs?: {diff_ids?: string[]};
}

/** `busybox` -> `docker.io/library/busybox:latest`, as Docker and ctr name what `docker save` wrote. */
export function normalizeDockerName(ref: string): string {
  let name = ref;
  const first = name.split('/')[0]!;
  if (!name.includes('/')) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') || name.includes('@') ? name : `${name}:latest`;
}

async function sha256Of(file: string, e: TarEntry): Promise<string> {
  const hash = createHash('sha256');
  if (e.size > 0) for await (const chunk of fs.createReadStream(file, {start: e.offset, end: e.offset + e.size - 1})) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

async function startsWithGzip(file: string, e: TarEntry): Promise<boolean> {
  if (e.size < 2) return false;
  const fh = await fs.promises.open(file, 'r');
  const b = Buffer.alloc(2);
  await fh.read(b, 0, 2, e.offset);
  await fh.close();
  return b[0] === 0x1f && b[1] === 0x8b;
}

function entryOf(entries: Map<string, TarEntry>, name: string, what: string): TarEntry {
  const e = entries.get(name);
  if (!e || e.type !== 'file') throw new UndockError('invalid', `the archive lacks ${what} (${name})`, 'give a complete `docker save` archive or OCI layout tarball');
  return e;
}

const parse = (buf: Buffer, what: string): Json => {
  try {
    return JSON.parse(buf.toString('utf8')) as Json;
  } catch {
    throw new UndockError('invalid', `${what} in the archive is not JSON`);
  }
};

/** The planned image's unpack data, read from its manifest and config documents. */
function imageOf(name: string, target: Descriptor, manifest: Json, config: Json): PlannedImage {
  return {name, target, layers: manifest.layers ?? [], diffIds: config.rootfs?.diff_ids ?? [], configDigest: manifest.config!.digest};
}

/** An OCI image layout (also what Docker 25+ saves): index.json, blobs/<alg>/<hex>. */
async function planOci(file: string, entries: Map<string, TarEntry>, fallbackName: string): Promise<ArchivePlan> {
  const blobs: PlannedBlob[] = [];
  const seen = new Set<string>();
  const docs = new Map<string, Json>();
  const blobEntry = (d: Descriptor) => entries.get(`blobs/${d.digest.replace(':', '/')}`);
  const doc = async (d: Descriptor) => {
    const e = blobEntry(d);
    if (!e) return undefined;
    if (!docs.has(d.digest)) docs.set(d.digest, parse(await readEntry(file, e), d.digest));
    return docs.get(d.digest)!;
  };
  const add = (d: Descriptor, labels: Record<string, string>) => {
    if (seen.has(d.digest)) return;
    seen.add(d.digest);
    const e = blobEntry(d)!;
    blobs.push({desc: {mediaType: d.mediaType, digest: d.digest, size: e.size}, from: {file, offset: e.offset}, labels});
  };
  // Returns whether the blob is in the archive (an index may list platforms it does not carry).
  const walk = async (d: Descriptor): Promise<boolean> => {
    if (!blobEntry(d)) return false;
    if (isIndex(d.mediaType) || d.mediaType.endsWith('manifest.v1+json') || d.mediaType.endsWith('manifest.v2+json')) {
      const j = (await doc(d))!;
      const labels: Record<string, string> = {};
      if (j.manifests) {
        let i = 0;
        for (const m of j.manifests) if (await walk(m)) labels[`containerd.io/gc.ref.content.m.${i++}`] = m.digest;
      } else {
        if (!j.config || !(await walk(j.config))) throw new UndockError('invalid', `the archive lacks the config of manifest ${d.digest}`);
        labels['containerd.io/gc.ref.content.config'] = j.config.digest;
        for (const [i, l] of (j.layers ?? []).entries()) {
          if (!(await walk(l))) throw new UndockError('invalid', `the archive lacks layer ${l.digest}`);
          labels[`containerd.io/gc.ref.content.l.${i}`] = l.digest;
        }
      }
      add(d, labels);
    } else {
      add(d, {});
    }
    return true;
  };
  const index = parse(await readEntry(file, entryOf(entries, 'index.json', 'index.json')), 'index.json');
  const images: PlannedImage[] = [];
  for (const [n, top] of (index.manifests ?? []).entries()) {
    const t = top as Descriptor & {annotations?: Record<string, string>};
    if (!(await walk(t))) throw new UndockError('invalid', `the archive lacks ${t.digest}, which index.json names`);
    const ann = t.annotations ?? {};
    const refName = ann['org.opencontainers.image.ref.name'];
    // A bare tag ("1.0") names nothing on its own: it goes with the archive's file name, as ctr's --base-name.
    const name = ann['io.containerd.image.name'] ?? (refName && /[/:@]/.test(refName) ? refName : `${fallbackName}:${refName ?? `import-${n}`}`);
    let manifest = (await doc(t))!;
    if (manifest.manifests) {
      const present = [];
      for (const m of manifest.manifests) if (blobEntry(m) && m.platform?.os !== 'unknown') present.push(m);
      const chosen = present.find((m) => platformString(m.platform) === hostPlatform) ?? present[0];
      if (!chosen) throw new UndockError('invalid', `image ${name} in the archive has no manifest for any platform`);
      manifest = (await doc(chosen))!;
    }
    const config = manifest.config ? await doc(manifest.config) : undefined;
    if (!config) throw new UndockError('invalid', `image ${name} in the archive has no config`);
    images.push(imageOf(name, {mediaType: t.mediaType, digest: t.digest, size: blobEntry(t)!.size}, manifest, config));
  }
  return {format: 'oci', blobs, images};
}

interface DockerEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** A `docker save` archive: manifest.json lists each image's config and its layer tars (uncompressed). */
async function planDocker(file: string, entries: Map<string, TarEntry>): Promise<ArchivePlan> {
  const list = JSON.parse((await readEntry(file, entryOf(entries, 'manifest.json', 'manifest.json'))).toString('utf8')) as DockerEntry[];
  if (!Array.isArray(list) || list.length === 0) throw new UndockError('invalid', 'manifest.json in the archive lists no image');
  const blobs: PlannedBlob[] = [];
  const images: PlannedImage[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const configEntry = entryOf(entries, item.Config, 'an image config');
    const configBuf = await readEntry(file, configEntry);
    const configDigest = await sha256Of(file, configEntry);
    const config = parse(configBuf, item.Config);
    const layers: Descriptor[] = [];
    for (const path of item.Layers) {
      const e = entryOf(entries, path, 'a layer');
      const digest = await sha256Of(file, e);
      const desc = {mediaType: (await startsWithGzip(file, e)) ? MEDIA.dockerLayerGzip : MEDIA.dockerLayer, digest, size: e.size};
      layers.push(desc);
      if (!seen.has(digest)) blobs.push({desc, from: {file, offset: e.offset}, labels: {}});
      seen.add(digest);
    }
    const configDesc = {mediaType: MEDIA.dockerConfig, digest: configDigest, size: configBuf.length};
    if (!seen.has(configDigest)) blobs.push({desc: configDesc, from: {data: configBuf}, labels: {}});
    seen.add(configDigest);
    const manifest = {schemaVersion: 2, mediaType: MEDIA.dockerManifest, config: configDesc, layers};
    const manifestBuf = Buffer.from(JSON.stringify(manifest));
    const target = {mediaType: MEDIA.dockerManifest, digest: `sha256:${createHash('sha256').update(manifestBuf).digest('hex')}`, size: manifestBuf.length};
    const labels: Record<string, string> = {'containerd.io/gc.ref.content.config': configDigest};
    layers.forEach((l, i) => (labels[`containerd.io/gc.ref.content.l.${i}`] = l.digest));
    blobs.push({desc: target, from: {data: manifestBuf}, labels});
    const names = item.RepoTags?.length ? item.RepoTags.map(normalizeDockerName) : [`import-${configDigest.slice(7, 19)}:latest`];
    for (const name of names) images.push(imageOf(name, target, manifest, config));
  }
  return {format: 'docker', blobs, images};
}

/** Which format the archive is, and what importing it writes. */
export async function planArchive(file: string, entries: Map<string, TarEntry>, fallbackName: string): Promise<ArchivePlan> {
  if (entries.has('index.json') && entries.has('oci-layout')) return planOci(file, entries, fallbackName);
  if (entries.has('manifest.json')) return planDocker(file, entries);
  throw new UndockError('invalid', `${file} holds neither manifest.json (docker save) nor index.json and oci-layout (OCI layout)`);
}
