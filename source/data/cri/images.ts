// CRI ImageService calls: list, status, pull and remove, and their records.
import type {GrpcConnection} from '../grpc/connection.js';
import {num, parseInfo} from './records.js';
import {IMAGES, LIFECYCLE_DEADLINE_MS, PROTO, type Int64, type PbValue} from './wire.js';

// A pull downloads and unpacks whole images.
const PULL_DEADLINE_MS = 10 * 60_000;

export interface CriImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: string;
  pinned?: boolean;
}

export interface CriImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  pinned: boolean;
  username: string;
  uid?: number;
}

export interface ImageStatusResult {
  /** Absent when the runtime does not have the image (CRI answers without an error). */
  image?: CriImageRecord;
  info: Record<string, unknown>;
  raw: unknown;
}

interface PbImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: Int64;
  uid: PbValue | null;
  username: string;
  pinned: boolean;
}

export async function listImages(conn: GrpcConnection): Promise<CriImage[]> {
  const res = await conn.unary<object, {images: CriImage[]}>(PROTO, IMAGES, 'ListImages', {});
  return res.images;
}

export async function imageStatus(conn: GrpcConnection, ref: string, verbose = false): Promise<ImageStatusResult> {
  const res = await conn.unary<object, {image: PbImage | null; info: Record<string, string>}>(
    PROTO,
    IMAGES,
    'ImageStatus',
    {image: {image: ref}, verbose},
  );
  const i = res.image;
  const image: CriImageRecord | undefined = i
    ? {
        id: i.id,
        repoTags: i.repo_tags,
        repoDigests: i.repo_digests,
        size: Number(i.size),
        pinned: i.pinned,
        username: i.username,
        uid: num(i.uid),
      }
    : undefined;
  return {image, info: parseInfo(res.info), raw: res};
}

/** CRI PullImage: unary, no progress (see pull.ts for progress); the deadline is minutes, not seconds. */
export async function pullImage(conn: GrpcConnection, ref: string, opts: {deadlineMs?: number} = {}): Promise<{imageRef: string}> {
  const res = await conn.unary<object, {image_ref: string}>(
    PROTO,
    IMAGES,
    'PullImage',
    {image: {image: ref}},
    {deadlineMs: opts.deadlineMs ?? PULL_DEADLINE_MS},
  );
  return {imageRef: res.image_ref};
}

/** Removes the image the reference names, with all its tags and digests. Succeeds when it is already gone. */
export async function removeImage(conn: GrpcConnection, ref: string): Promise<void> {
  await conn.unary(PROTO, IMAGES, 'RemoveImage', {image: {image: ref}}, {deadlineMs: LIFECYCLE_DEADLINE_MS});
}

export interface FilesystemUsage {
  mountpoint: string;
  usedBytes?: number;
  inodesUsed?: number;
  timestamp?: Date;
}

interface PbFsUsage {
  timestamp: Int64;
  fs_id: {mountpoint: string} | null;
  used_bytes: PbValue | null;
  inodes_used: PbValue | null;
}

/** CRI ImageFsInfo (crictl imagefsinfo): the snapshotter's used bytes and inodes. */
export async function imageFsInfo(conn: GrpcConnection): Promise<FilesystemUsage[]> {
  const res = await conn.unary<object, {image_filesystems: PbFsUsage[]}>(PROTO, IMAGES, 'ImageFsInfo', {});
  return res.image_filesystems.map((f) => ({
    mountpoint: f.fs_id?.mountpoint ?? '',
    usedBytes: num(f.used_bytes),
    inodesUsed: num(f.inodes_used),
    timestamp: f.timestamp && f.timestamp !== '0' ? new Date(Number(BigInt(f.timestamp) / 1_000_000n)) : undefined,
  }));
}
