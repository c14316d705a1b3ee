import protobuf from 'protobufjs/light.js';
import {protoDescriptor} from './descriptors.js';
import {conversion, lazyRoot} from './package-definition.js';
import {anyPayloadSet} from './proto-sets.js';

/** google.protobuf.Any as @grpc/proto-loader hands it over. */
export interface PbAny {
  type_url: string;
  value: Buffer | Uint8Array;
}

/** What decodeAny returns for a type it has no definition for. */
export interface UndecodedAny {
  type_url: string;
  bytes: number;
  /** Set when the type was known but the bytes did not decode. */
  error?: string;
}

/** containerd carries OCI runtime-spec objects (Spec, Process, ...) as JSON under this prefix. */
export const ociTypeUrlPrefix = 'types.containerd.io/opencontainers/runtime-spec/1/';
export const ociSpecTypeUrl = `${ociTypeUrlPrefix}Spec`;
export const ociProcessTypeUrl = `${ociTypeUrlPrefix}Process`;

// The same shapes as messages received over gRPC.
const toObjectOptions = conversion;

let payloadRoot: protobuf.Root | undefined;

function root(): protobuf.Root {
  if (!payloadRoot) {
    // The messages containerd puts into Any fields that undock shows (proto-sets.ts lists their files).
    payloadRoot = lazyRoot(protoDescriptor(anyPayloadSet));
  }
  return payloadRoot;
}

function typeFor(typeUrl: string): protobuf.Type | undefined {
  // containerd's type URLs are bare message names; others may carry a host prefix (type.googleapis.com/...).
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  if (!name) return undefined;
  try {
    const found = root().lookup(name);
    return found instanceof protobuf.Type ? found : undefined;
  } catch {
    return undefined;
  }
}

function isPbAny(v: unknown): v is PbAny {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.type_url === 'string' && o.value instanceof Uint8Array && Object.keys(o).length === 2;
}

// Any fields nested in a decoded message (e.g. ContainerCreate.runtime.options) are decoded too.
function decodeNested(v: unknown): unknown {
  if (isPbAny(v)) return v.type_url ? decodeAny(v) : undefined;
  if (Array.isArray(v)) return v.map(decodeNested);
  if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = decodeNested(x);
    return out;
  }
  return v;
}

/**
 * Decodes a google.protobuf.Any: OCI runtime-spec objects from their JSON, known protobuf messages
 * (containerd events, cgroups v1 metrics, runc options) into plain objects shaped as proto-loader
 * shapes messages (snake_case, 64-bit integers and enums as strings, defaults filled in, timestamps
 * as {seconds, nanos}), and anything else as {type_url, bytes}.
 */
export function decodeAny(any: PbAny): unknown {
  const bytes = Buffer.from(any.value.buffer, any.value.byteOffset, any.value.byteLength);
  if (any.type_url.startsWith(ociTypeUrlPrefix)) {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      return {type_url: any.type_url, bytes: bytes.length, error: (e as Error).message} satisfies UndecodedAny;
    }
  }
  const type = typeFor(any.type_url);
  if (!type) return {type_url: any.type_url, bytes: bytes.length} satisfies UndecodedAny;
  try {
    return decodeNested(type.toObject(type.decode(bytes), toObjectOptions));
  } catch (e) {
    return {type_url: any.type_url, bytes: bytes.length, error: (e as Error).message} satisfies UndecodedAny;
  }
}

/** An Any holding JSON, as containerd expects OCI specs and processes (e.g. ociProcessTypeUrl for Tasks.Exec). */
export function encodeJsonAny(typeUrl: string, obj: unknown): PbAny {
  return {type_url: typeUrl, value: Buffer.from(JSON.stringify(obj), 'utf8')};
}

/**
 * An Any holding a protobuf message of a type decodeAny knows (e.g. containerd.runc.v1.Options for
 * Container.Runtime.options); obj is shaped as decodeAny returns it (snake_case, 64-bit as strings).
 */
export function encodeProtoAny(typeName: string, obj: Record<string, unknown>): PbAny {
  const type = typeFor(typeName);
  if (!type) throw new Error(`no protobuf definition for ${typeName} under proto/`);
  const err = type.verify(obj);
  if (err) throw new Error(`${typeName}: ${err}`);
  return {type_url: typeName, value: Buffer.from(type.encode(type.fromObject(obj)).finish())};
}
