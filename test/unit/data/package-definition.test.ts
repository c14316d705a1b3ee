import assert from 'node:assert/strict';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {test} from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs/light.js';
import {camelCase, lazyRoot, servicesOf} from '../../../source/data/grpc/package-definition.js';
import {protoDescriptor} from '../../../source/data/grpc/descriptors.js';
import {protoFiles, protoRoot} from '../../../source/data/grpc/proto-text.js';
import {repoRoot} from '../../helpers/pty.js';

// What the CLI loads (descriptors, our service definitions) against what it replaced (proto-loader
// parsing the .proto text), method by method: the same paths, streams, aliases and bytes.
const options: protoLoader.Options = {keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protoRoot]};
type Methods = Record<string, protoLoader.MethodDefinition<object, object>>;

const etcd3Proto = path.join(repoRoot, 'node_modules/etcd3/proto/rpc.proto');
// lodash.camelcase, as proto-loader itself requires it (a dependency of proto-loader, not of undock).
const lodashCamelCase = createRequire(createRequire(import.meta.url).resolve('@grpc/proto-loader'))('lodash.camelcase') as (s: string) => string;

test('method aliases are lodash.camelcase of the rpc names, as proto-loader makes them (etcd3 calls hashKV through them)', () => {
  const text = [etcd3Proto, ...protoFiles().map((f) => path.join(protoRoot, f))].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  const names = [...text.matchAll(/\brpc\s+(\w+)/g)].map((m) => m[1]!);
  assert.ok(names.length > 50, `rpc names found: ${names.length}`);
  for (const n of names) assert.equal(camelCase(n), lodashCamelCase(n), n);
});

for (const file of protoFiles().filter((f) => /\bservice\s+\w+/.test(fs.readFileSync(path.join(protoRoot, f), 'utf8')))) {
  test(`${file}: the same service definitions as @grpc/proto-loader`, () => {
    const ours = servicesOf(lazyRoot(protoDescriptor(file)));
    const theirs = protoLoader.loadSync(file, options);
    const services = Object.keys(theirs).filter((k) => !('format' in theirs[k]!));
    assert.deepEqual(Object.keys(ours).sort(), services.sort());
    for (const name of services) {
      const a = ours[name] as unknown as Methods;
      const b = theirs[name] as unknown as Methods;
      assert.deepEqual(Object.keys(a), Object.keys(b), name);
      for (const m of Object.keys(b)) {
        const [x, y] = [a[m]!, b[m]!];
        assert.deepEqual([x.path, x.requestStream, x.responseStream, x.originalName], [y.path, y.requestStream, y.responseStream, y.originalName], `${name}.${m}`);
        // Defaults filled in, as received: every field of an empty message, in the same shapes.
        assert.deepEqual(x.responseDeserialize(Buffer.alloc(0)), y.responseDeserialize(Buffer.alloc(0)), `${name}.${m} response`);
        const req = y.requestDeserialize(Buffer.alloc(0));
        assert.deepEqual(Buffer.from(x.requestSerialize(req)), Buffer.from(y.requestSerialize(req)), `${name}.${m} request bytes`);
      }
    }
  });
}

test('an array is refused as a message, as proto-loader refuses it', () => {
  const ours = servicesOf(protobuf.Root.fromJSON(protoDescriptor('containerd/services/version/v1/version.proto')));
  const method = (ours['containerd.services.version.v1.Version'] as unknown as Methods).Version!;
  assert.throws(() => method.requestSerialize([] as unknown as object), /expected object/);
});

/** Every message type of a root, depth first. */
function* typesOf(ns: protobuf.NamespaceBase): Generator<protobuf.Type> {
  for (const obj of ns.nestedArray) {
    if (obj instanceof protobuf.Type) yield obj;
    if (obj instanceof protobuf.Namespace || obj instanceof protobuf.Type) yield* typesOf(obj as protobuf.NamespaceBase);
  }
}

test('a lazily resolved root generates the same encoders, decoders and converters as a fully resolved one', () => {
  for (const file of [...protoFiles(), 'any-payloads']) {
    const lazy = lazyRoot(protoDescriptor(file));
    const full = protobuf.Root.fromJSON(protoDescriptor(file));
    const fullTypes = new Map([...typesOf(full)].map((t) => [t.fullName, t]));
    let n = 0;
    for (const t of typesOf(lazy)) {
      const f = fullTypes.get(t.fullName)!;
      t.setup();
      f.setup();
      for (const fn of ['encode', 'decode', 'fromObject', 'toObject'] as const) assert.equal(String(t[fn]), String(f[fn]), `${file}: ${t.fullName}.${fn}`);
      n++;
    }
    assert.ok(n > 0, `${file}: no message types`);
  }
});
