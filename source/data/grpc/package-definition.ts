import type * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs/light.js';

/** How messages are handed over: @grpc/proto-loader's options (keepCase is given when parsing). */
export const conversion: protobuf.IConversionOptions = {longs: String, enums: String, defaults: true, oneofs: true};

function serializer(type: protobuf.Type): grpc.serialize<object> {
  return (arg) => {
    if (Array.isArray(arg)) throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
    return Buffer.from(type.encode(type.fromObject(arg)).finish());
  };
}

function deserializer(type: protobuf.Type, options: protobuf.IConversionOptions): grpc.deserialize<object> {
  return (buf) => type.toObject(type.decode(buf), options);
}

/** lodash.camelcase of an ASCII identifier, as proto-loader names a method's alias (HashKV -> hashKv; etcd3 calls these). */
export function camelCase(name: string): string {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? [];
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('');
}

function* services(ns: protobuf.NamespaceBase): Generator<protobuf.Service> {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Service) yield obj;
    if (obj instanceof protobuf.Namespace) yield* services(obj);
  }
}

/**
 * A protobufjs root from a descriptor, as Root.fromJSON builds it but without its resolveAll: that
 * resolves every field of every type, and resolving a field generates its type's constructor with
 * `new Function`, for the hundreds of types a service file imports (tasks.proto, CRI's api.proto)
 * when a client uses a few: 50 ms of a start. Editions features are resolved for all (encoders read
 * them); a type's fields are resolved when it is first encoded or decoded (Type#setup does that).
 * A root with extensions to apply is resolved whole, as fromJSON would.
 */
export function lazyRoot(json: protobuf.INamespace & {options?: Record<string, unknown>}): protobuf.Root {
  const root = new protobuf.Root();
  if (json.options) root.setOptions(json.options);
  root.addJSON(json.nested ?? {});
  const internal = root as unknown as {deferred: unknown[]; _edition: string; _resolveFeaturesRecursive(edition: string): void};
  if (internal.deferred.length > 0 || typeof internal._resolveFeaturesRecursive !== 'function') return root.resolveAll() as protobuf.Root;
  internal._resolveFeaturesRecursive(internal._edition);
  return root;
}

/**
 * The service definitions of a protobufjs root, as @grpc/proto-loader builds them for
 * grpc.loadPackageDefinition (the same serializers), without the message descriptors it adds
 * (each file's FileDescriptorProto, encoded at load: most of its cost, and nothing here reads them).
 */
export function servicesOf(root: protobuf.Root, options: protobuf.IConversionOptions = conversion): grpc.GrpcObject & Record<string, grpc.ServiceDefinition> {
  const def: Record<string, grpc.ServiceDefinition> = {};
  for (const service of services(root)) {
    const name = service.fullName.replace(/^\./, '');
    const methods: Record<string, grpc.MethodDefinition<object, object>> = {};
    for (const m of service.methodsArray) {
      m.resolve(); // its request and response types (lazyRoot resolves nothing else)
      const req = m.resolvedRequestType!;
      const res = m.resolvedResponseType!;
      methods[m.name] = {
        path: `/${name}/${m.name}`,
        requestStream: !!m.requestStream,
        responseStream: !!m.responseStream,
        requestSerialize: serializer(req),
        requestDeserialize: deserializer(req, options),
        responseSerialize: serializer(res),
        responseDeserialize: deserializer(res, options),
        originalName: camelCase(m.name),
      };
    }
    def[name] = methods;
  }
  return def as unknown as grpc.GrpcObject & Record<string, grpc.ServiceDefinition>;
}
