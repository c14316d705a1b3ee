import type {ContainerdClient, ImageRecord} from './client.js';

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

interface Platform {
  os?: string;
  architecture?: string;
  variant?: string;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform;
}

interface Manifest {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export interface ImageContent {
  /** Bytes of the index (if any), the manifest, config and layers for the host platform, as `ctr images ls` counts. */
  size?: number;
  platforms: string[];
  layers: number;
  /** Content the store does not hold (a partial pull), in which case size is a lower bound. */
  missing: boolean;
}

export function platformString(p: Platform | undefined): string {
  if (!p?.os) return '';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

const hostArch = ({x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x'} as Record<string, string>)[process.arch] ?? process.arch;
export const hostPlatform = `linux/${hostArch}`;

/**
 * Walks an image's index and manifest in the content store. Results are cached by target digest:
 * content is immutable, so a relist costs no content reads for images already seen.
 */
export class ImageContentResolver {
  private readonly cache = new Map<string, ImageContent>();
  private readonly client: ContainerdClient;
  constructor(client: ContainerdClient) {
    this.client = client;
  }

  async resolve(namespace: string, image: ImageRecord): Promise<ImageContent> {
    const key = image.target.digest;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = await this.walk(namespace, image);
    if (!result.missing) this.cache.set(key, result);
    return result;
  }

  private async readJson(namespace: string, digest: string): Promise<Manifest | undefined> {
    try {
      return JSON.parse((await this.client.readBlob(namespace, digest)).toString('utf8')) as Manifest;
    } catch {
      return undefined;
    }
  }

  private async walk(namespace: string, image: ImageRecord): Promise<ImageContent> {
    const target = image.target;
    const root = await this.readJson(namespace, target.digest);
    if (!root) return {platforms: [], layers: 0, missing: true, size: undefined};
    let size = target.size;
    let manifest: Manifest | undefined = root;
    let platforms: string[] = [];
    let missing = false;
    if (INDEX_TYPES.has(target.mediaType) || root.manifests) {
      const entries = (root.manifests ?? []).filter((m) => !isAttestation(m));
      platforms = entries.map((m) => platformString(m.platform)).filter(Boolean);
      const chosen = entries.find((m) => platformString(m.platform) === hostPlatform) ?? entries[0];
      if (!chosen) return {size, platforms, layers: 0, missing: false};
      size += chosen.size;
      manifest = await this.readJson(namespace, chosen.digest);
      if (!manifest) return {size, platforms, layers: 0, missing: true};
    }
    const layers = manifest.layers ?? [];
    size += (manifest.config?.size ?? 0) + layers.reduce((n, l) => n + l.size, 0);
    if (platforms.length === 0 && manifest.config) {
      const config = (await this.readJson(namespace, manifest.config.digest)) as Platform | undefined;
      if (config) platforms = [platformString(config)].filter(Boolean);
      else missing = true;
    }
    return {size, platforms, layers: layers.length, missing};
  }
}

function isAttestation(d: Descriptor): boolean {
  return d.platform?.os === 'unknown';
}
