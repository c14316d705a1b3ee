import {GrpcConnection, type CallOptions} from '../grpc/connection.js';
import {toDate, type PbDescriptor, type PbTimestamp} from '../grpc/types.js';

const P = {
  version: 'containerd/services/version/v1/version.proto',
  namespaces: 'containerd/services/namespaces/v1/namespace.proto',
  images: 'containerd/services/images/v1/images.proto',
  content: 'containerd/services/content/v1/content.proto',
};
const S = {
  version: 'containerd.services.version.v1.Version',
  namespaces: 'containerd.services.namespaces.v1.Namespaces',
  images: 'containerd.services.images.v1.Images',
  content: 'containerd.services.content.v1.Content',
};

export interface ContainerdVersion {
  version: string;
  revision: string;
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

export interface ImageRecord {
  name: string;
  labels: Record<string, string>;
  target: {mediaType: string; digest: string; size: number};
  createdAt?: Date;
  updatedAt?: Date;
}

interface PbImage {
  name: string;
  labels: Record<string, string>;
  target: PbDescriptor | null;
  created_at: PbTimestamp | null;
  updated_at: PbTimestamp | null;
}

/** Typed calls to containerd's native API. Every call names its namespace explicitly. */
export class ContainerdClient {
  readonly conn: GrpcConnection;
  constructor(conn: GrpcConnection) {
    this.conn = conn;
  }

  get address(): string {
    return this.conn.endpoint.address;
  }

  async version(opts: CallOptions = {}): Promise<ContainerdVersion> {
    const res = await this.conn.unary<object, ContainerdVersion>(P.version, S.version, 'Version', {}, opts);
    return {version: res.version, revision: res.revision};
  }

  async listNamespaces(): Promise<Namespace[]> {
    const res = await this.conn.unary<object, {namespaces: Namespace[]}>(P.namespaces, S.namespaces, 'List', {});
    return res.namespaces.map((n) => ({name: n.name, labels: n.labels ?? {}}));
  }

  async listImages(namespace: string, filters: string[] = []): Promise<ImageRecord[]> {
    const res = await this.conn.unary<object, {images: PbImage[]}>(P.images, S.images, 'List', {filters}, {namespace});
    return res.images.map(toImageRecord);
  }

  async getImage(namespace: string, name: string): Promise<ImageRecord> {
    const res = await this.conn.unary<object, {image: PbImage}>(P.images, S.images, 'Get', {name}, {namespace});
    return toImageRecord(res.image);
  }

  /** Deletes an image record (its content goes with the next garbage collection, as with ctr). */
  async deleteImage(namespace: string, name: string): Promise<void> {
    await this.conn.unary(P.images, S.images, 'Delete', {name, sync: true}, {namespace, deadlineMs: 30_000});
  }

  /** Reads a whole blob from the content store (manifests, indexes and configs are small). */
  async readBlob(namespace: string, digest: string, maxBytes = 16 * 1024 * 1024): Promise<Buffer> {
    const parts = await this.conn.serverStream<object, {offset: string; data: Buffer}>(
      P.content,
      S.content,
      'Read',
      {digest, offset: '0', size: '0'},
      {namespace},
    );
    const buf = Buffer.concat(parts.map((p) => p.data));
    return buf.length > maxBytes ? buf.subarray(0, maxBytes) : buf;
  }
}

function toImageRecord(img: PbImage): ImageRecord {
  return {
    name: img.name,
    labels: img.labels ?? {},
    target: {
      mediaType: img.target?.media_type ?? '',
      digest: img.target?.digest ?? '',
      size: Number(img.target?.size ?? 0),
    },
    createdAt: toDate(img.created_at),
    updatedAt: toDate(img.updated_at),
  };
}
