import type {ImageRecord} from '../../data/containerd/client.js';
import type {CriImage} from '../../data/cri/images.js';
import type {DataContext} from '../types.js';
import {splitReference} from './reference.js';

/** The namespace CRI keeps its images in: one image there has a record per tag, per repo digest and per ID. */
export const CRI_NAMESPACE = 'k8s.io';

export interface ImageRow {
  /** The name actions use: the (first) tag, else a repo digest, else the ID. */
  ref: string;
  repository: string;
  tag: string;
  /** Every tag of the image (k8s.io: all of them, as crictl images lists them; elsewhere the one name). */
  tags: string[];
  repoDigests: string[];
  /** CRI's image ID (the config digest), in k8s.io. */
  imageId?: string;
  digest: string;
  mediaType: string;
  size?: number;
  platforms: string[];
  layers: number;
  /** The content store lacks some of the image's blobs (a partial pull). */
  incomplete: boolean;
  createdAt?: Date;
  labels: Record<string, string>;
}

const isId = (name: string) => /^sha256:[0-9a-f]{64}$/.test(name);
const isRepoDigest = (name: string) => name.includes('@');

/** One List call, then each image's index/manifest from the content store (cached by digest). */
export async function loadImages(ctx: DataContext, namespace: string): Promise<ImageRow[]> {
  const [images, cri] = await Promise.all([
    ctx.containerd.listImages(namespace),
    // CRI's own answer gives k8s.io's IDs and sizes as crictl shows them; without it, grouping still works.
    namespace === CRI_NAMESPACE ? ctx.cri.listImages().catch(() => undefined) : undefined,
  ]);
  if (namespace === CRI_NAMESPACE) return criRows(ctx, images, cri);
  return Promise.all(images.map((img) => row(ctx, namespace, img, [img.name])));
}

async function row(ctx: DataContext, namespace: string, img: ImageRecord, names: string[], cri?: CriImage): Promise<ImageRow> {
  const content = await ctx.imageContent.resolve(namespace, img);
  const tags = names.filter((n) => !isId(n) && !isRepoDigest(n));
  const repoDigests = names.filter(isRepoDigest);
  const id = cri?.id ?? names.find(isId);
  const ref = tags[0] ?? repoDigests[0] ?? id ?? img.name;
  const {repository, tag} = splitReference(ref);
  const others = tags.slice(1).map((t) => (splitReference(t).repository === repository ? splitReference(t).tag : t));
  return {
    ref,
    repository,
    tag: [tag, ...others].filter(Boolean).join(','),
    tags,
    repoDigests,
    ...(id ? {imageId: id} : {}),
    digest: img.target.digest,
    mediaType: img.target.mediaType,
    size: cri ? Number(cri.size) : content.size,
    platforms: content.platforms,
    layers: content.layers,
    incomplete: content.missing,
    createdAt: img.createdAt,
    labels: img.labels,
  };
}

/**
 * k8s.io as `crictl images` sees it: one row per image, whatever names containerd keeps for it.
 * Native records are grouped by target digest (every name of one image points at its manifest).
 */
async function criRows(ctx: DataContext, images: ImageRecord[], cri: CriImage[] | undefined): Promise<ImageRow[]> {
  const groups = new Map<string, ImageRecord[]>();
  for (const img of images) groups.set(img.target.digest, [...(groups.get(img.target.digest) ?? []), img]);
  return Promise.all(
    [...groups.values()].map((records) => {
      const names = records.map((r) => r.name).sort();
      const known = cri?.find((c) => names.includes(c.id) || c.repo_tags.some((t) => names.includes(t)));
      // The oldest record is when the image came; a later tag does not make it younger.
      const first = records.reduce((a, b) => ((a.createdAt?.getTime() ?? 0) <= (b.createdAt?.getTime() ?? 0) ? a : b));
      return row(ctx, CRI_NAMESPACE, first, known ? [...known.repo_tags, ...known.repo_digests, known.id] : names, known);
    }),
  );
}
