import * as grpc from '@grpc/grpc-js';
import {protoDescriptor} from './descriptors.js';
import {lazyRoot, servicesOf} from './package-definition.js';

const cache = new Map<string, grpc.GrpcObject>();

/**
 * The gRPC package object of a proto file (relative to proto/), built once from its descriptor:
 * the services it and its imports define, messages handed over as @grpc/proto-loader would
 * (keepCase, longs and enums as strings, defaults, oneofs).
 */
export function loadProto(file: string): grpc.GrpcObject {
  let pkg = cache.get(file);
  if (!pkg) {
    pkg = grpc.loadPackageDefinition(servicesOf(lazyRoot(protoDescriptor(file))));
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
