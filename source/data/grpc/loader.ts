import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** proto/ sits at the package root, three levels above this file in source/ and in dist/. */
export const protoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../proto');

const loaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

const cache = new Map<string, grpc.GrpcObject>();

/** Loads a proto file (relative to proto/) once and returns its gRPC package object. */
export function loadProto(file: string): grpc.GrpcObject {
  let pkg = cache.get(file);
  if (!pkg) {
    const def = protoLoader.loadSync(file, loaderOptions);
    pkg = grpc.loadPackageDefinition(def);
    cache.set(file, pkg);
  }
  return pkg;
}

/** Looks up a dotted name (e.g. containerd.services.version.v1.Version) in a loaded package. */
export function lookup<T>(pkg: grpc.GrpcObject, dotted: string): T {
  let cur: unknown = pkg;
  for (const part of dotted.split('.')) {
    cur = (cur as Record<string, unknown> | undefined)?.[part];
  }
  if (!cur) throw new Error(`proto definition ${dotted} not found`);
  return cur as T;
}
