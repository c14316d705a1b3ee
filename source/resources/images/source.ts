import type {DataContext} from '../types.js';
import {splitReference} from './reference.js';

export interface ImageRow {
  ref: string;
  repository: string;
  tag: string;
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

/** One List call, then each image's index/manifest from the content store (cached by digest). */
export async function loadImages(ctx: DataContext, namespace: string): Promise<ImageRow[]> {
  const images = await ctx.containerd.listImages(namespace);
  return Promise.all(
    images.map(async (img) => {
      const content = await ctx.imageContent.resolve(namespace, img);
      const {repository, tag} = splitReference(img.name);
      return {
        ref: img.name,
        repository,
        tag,
        digest: img.target.digest,
        mediaType: img.target.mediaType,
        size: content.size,
        platforms: content.platforms,
        layers: content.layers,
        incomplete: content.missing,
        createdAt: img.createdAt,
        labels: img.labels,
      };
    }),
  );
}
