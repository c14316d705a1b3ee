import {createHash} from 'node:crypto';
import {UndockError} from '../errors.js';
import type {ContainerdClient, ImageRecord} from './client.js';
import {hostPlatform, platformString} from './image-content.js';

/** The part of an OCI image config's `config` object that decides how a container runs. */
export interface ImageRunConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

export interface ImageConfig {
  /** The image's name as containerd stores it (a short reference resolved to its full name). */
  name: string;
  config: ImageRunConfig;
  diffIds: string[];
  /** The snapshot an unpacked image's top layer is committed under (OCI image spec ChainID). */
  chainId: string;
  manifestDigest: string;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: {os?: string; architecture?: string; variant?: string};
}

interface ManifestOrIndex {
  mediaType?: string;
  config?: Descriptor;
  manifests?: Descriptor[];
}

interface ConfigBlob {
  config?: ImageRunConfig | null;
  rootfs?: {type?: string; diff_ids?: string[]};
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/**
 * ChainID as the OCI image spec defines it: ChainID(L0) = DiffID(L0),
 * ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). containerd commits each unpacked layer
 * as a snapshot named by this ID, so the top one is the parent of a container's rootfs.
 */
export function chainIdOf(diffIds: readonly string[]): string {
  if (diffIds.length === 0) throw new UndockError('invalid', 'image config has no layers (rootfs.diff_ids is empty)');
  let chain = diffIds[0]!;
  for (const diff of diffIds.slice(1)) {
    chain = `sha256:${createHash('sha256').update(`${chain} ${diff}`).digest('hex')}`;
  }
  return chain;
}

/**
 * The names an image reference may be stored under, most literal first: containerd keeps full
 * names ("docker.io/library/busybox:latest"), people type short ones ("busybox").
 */
export function imageNameCandidates(ref: string): string[] {
  const names = [ref];
  if (/^sha256:[0-9a-f]{64}$/.test(ref)) return names;
  let rest = ref;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  // Like Docker: the first component is a registry only if it looks like a host.
  const hasDomain = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let full = hasDomain ? rest : `docker.io/${slash >= 0 ? rest : `library/${rest}`}`;
  const lastSlash = full.lastIndexOf('/');
  const hasTag = full.lastIndexOf(':') > lastSlash;
  if (!hasTag && !digest) full += ':latest';
  full += digest;
  if (full !== ref) names.push(full);
  return names;
}

/** Finds an image record by the reference as typed or its normalized full name. */
export async function findImage(c: ContainerdClient, ns: string, imageRef: string): Promise<ImageRecord> {
  if (!/^[a-z0-9][a-zA-Z0-9._:/@+-]*$/.test(imageRef)) {
    throw new UndockError('invalid', `"${imageRef}" is not an image reference`, 'use a name like busybox, busybox:1.36 or registry.example/app:tag');
  }
  const tried: string[] = [];
  for (const name of imageNameCandidates(imageRef)) {
    tried.push(name);
    try {
      return await c.getImage(ns, name);
    } catch (e) {
      if (!(e instanceof UndockError && e.kind === 'not-found')) throw e;
    }
  }
  throw new UndockError(
    'not-found',
    `image ${tried.map((t) => `"${t}"`).join(' or ')} not found in namespace ${ns}`,
    'pull or import it first (images pane), or check the name',
  );
}

async function readJson<T>(c: ContainerdClient, ns: string, digest: string, what: string, imageName: string): Promise<T> {
  let blob: Buffer;
  try {
    blob = await c.readBlob(ns, digest);
  } catch (e) {
    if (e instanceof UndockError && e.kind === 'not-found') {
      throw new UndockError('not-found', `the ${what} ${digest} of image ${imageName} is not in the content store`, 'the pull was partial: pull the image again');
    }
    throw e;
  }
  try {
    return JSON.parse(blob.toString('utf8')) as T;
  } catch {
    throw new UndockError('invalid', `the ${what} ${digest} of image ${imageName} is not valid JSON`);
  }
}

/** An image's documents in the content store: its index (if any), the chosen manifest and its config. */
export interface ImageDocuments {
  image: ImageRecord;
  index?: ManifestOrIndex & Record<string, unknown>;
  manifestDigest: string;
  manifest: ManifestOrIndex & {layers?: Descriptor[]} & Record<string, unknown>;
  config: ConfigBlob & Record<string, unknown>;
}

/**
 * Walks index -> manifest -> config blob. `platform` picks the manifest of an index: the host's
 * (to run it; no such manifest is an error), or the host's else the first (to show it).
 */
export async function readImageDocuments(c: ContainerdClient, ns: string, image: ImageRecord, platform: 'host' | 'host-or-first'): Promise<ImageDocuments> {
  let manifestDigest = image.target.digest;
  let manifest = await readJson<ImageDocuments['manifest']>(c, ns, manifestDigest, 'manifest', image.name);
  let index: ImageDocuments['index'];
  if (INDEX_TYPES.has(image.target.mediaType) || manifest.manifests) {
    index = manifest;
    const entries = manifest.manifests ?? [];
    const chosen = entries.find((m) => platformString(m.platform) === hostPlatform) ?? (platform === 'host-or-first' ? entries[0] : undefined);
    if (!chosen) {
      const have = entries.map((m) => platformString(m.platform)).filter(Boolean).join(', ') || 'none';
      throw new UndockError('invalid', `image ${image.name} has no ${hostPlatform} manifest (it has: ${have})`);
    }
    manifestDigest = chosen.digest;
    manifest = await readJson<ImageDocuments['manifest']>(c, ns, manifestDigest, 'manifest', image.name);
  }
  if (!manifest.config?.digest) throw new UndockError('invalid', `the manifest ${manifestDigest} of image ${image.name} names no config`);
  const config = await readJson<ImageDocuments['config']>(c, ns, manifest.config.digest, 'config', image.name);
  return {image, index, manifestDigest, manifest, config};
}

/** What a container needs to run from an image: its run config, layers and the snapshot to start from. */
export async function readImageConfig(c: ContainerdClient, ns: string, imageRef: string): Promise<ImageConfig> {
  const image = await findImage(c, ns, imageRef);
  const {manifestDigest, config: blob} = await readImageDocuments(c, ns, image, 'host');
  const diffIds = blob.rootfs?.diff_ids ?? [];
  const config = blob.config ?? {};
  return {
    name: image.name,
    config: {
      Entrypoint: config.Entrypoint ?? undefined,
      Cmd: config.Cmd ?? undefined,
      Env: config.Env ?? undefined,
      WorkingDir: config.WorkingDir || undefined,
      User: config.User || undefined,
    },
    diffIds,
    chainId: chainIdOf(diffIds),
    manifestDigest,
  };
}
