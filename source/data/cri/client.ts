import {GrpcConnection, type CallOptions} from '../grpc/connection.js';

const PROTO = 'cri/runtime/v1/api.proto';
const RUNTIME = 'runtime.v1.RuntimeService';
const IMAGES = 'runtime.v1.ImageService';

export interface CriVersion {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface CriImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: string;
  pinned?: boolean;
}

/** Typed calls to the CRI runtime.v1 API (containerd's CRI plugin on the same socket by default). */
export class CriClient {
  readonly conn: GrpcConnection;
  constructor(conn: GrpcConnection) {
    this.conn = conn;
  }

  version(opts: CallOptions = {}): Promise<CriVersion> {
    return this.conn.unary<object, CriVersion>(PROTO, RUNTIME, 'Version', {version: 'v1'}, opts);
  }

  async listImages(): Promise<CriImage[]> {
    const res = await this.conn.unary<object, {images: CriImage[]}>(PROTO, IMAGES, 'ListImages', {});
    return res.images;
  }
}
