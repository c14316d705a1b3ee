/**
 * protobufjs as bundled (scripts/build/plugins.ts, protobufLazySetupPlugin): each of a type's five
 * generated functions is made at its first call. The bundle with the patch must encode, decode and
 * convert exactly as protobufjs does without it, google.protobuf wrappers (Any) included.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {protobufLazySetupPlugin} from '../../../scripts/build/plugins.js';
import {bundled} from './bundled.js';

interface PbType {
  encode(m: unknown): {finish(): Uint8Array};
  decode(b: Uint8Array): unknown;
  verify(m: unknown): string | null;
  fromObject(o: unknown): unknown;
  toObject(m: unknown, o?: object): Record<string, unknown>;
}
interface Pb {
  Root: {fromJSON(j: object): {lookupType(n: string): PbType}};
}

const descriptor = {
  nested: {
    t: {
      nested: {
        State: {values: {UNKNOWN: 0, RUNNING: 1, EXITED: 2}},
        Inner: {fields: {name: {type: 'string', id: 1}, size: {type: 'int64', id: 2}}},
        Outer: {
          oneofs: {kind: {oneof: ['text', 'number']}},
          fields: {
            id: {type: 'string', id: 1},
            labels: {keyType: 'string', type: 'string', id: 2},
            inner: {type: 'Inner', id: 3},
            many: {rule: 'repeated', type: 'Inner', id: 4},
            state: {type: 'State', id: 5},
            text: {type: 'string', id: 6},
            number: {type: 'uint32', id: 7},
            blob: {type: 'bytes', id: 8},
            any: {type: 'google.protobuf.Any', id: 9},
          },
        },
      },
    },
    google: {nested: {protobuf: {nested: {Any: {fields: {type_url: {type: 'string', id: 1}, value: {type: 'bytes', id: 2}}}}}}},
  },
};

const load = async (patched: boolean) => ((await bundled('index.js', patched ? [protobufLazySetupPlugin] : [], 'node_modules/protobufjs')).default ?? {}) as Pb;

const object = {
  id: 'c1',
  labels: {a: '1', 'b/c': '\u001b[31mred'},
  inner: {name: 'x', size: '9007199254740993'},
  many: [{name: 'a', size: '1'}, {name: 'b', size: '2'}],
  state: 'EXITED',
  number: 7,
  blob: Buffer.from([0, 1, 255]).toString('base64'),
  any: {type_url: 'type.googleapis.com/t.Inner', value: Buffer.from([10, 1, 122]).toString('base64')},
};
const options = {longs: String, enums: String, bytes: String, defaults: true, oneofs: true};

test('the patched bundle encodes, decodes and converts as protobufjs itself does', async () => {
  const [plain, lazy] = await Promise.all([load(false), load(true)]);
  const types = [plain, lazy].map((pb) => pb.Root.fromJSON(descriptor).lookupType('t.Outer'));
  const [a, b] = types as [PbType, PbType];
  // The lazy one is used in another order than setup would: decode first, encode last.
  const bytesA = a.encode(a.fromObject(object)).finish();
  const decodedB = b.toObject(b.decode(bytesA), options);
  assert.deepEqual(decodedB, a.toObject(a.decode(bytesA), options));
  assert.equal(decodedB.text, undefined);
  assert.equal((decodedB.inner as {size: string}).size, '9007199254740993');
  assert.deepEqual(Buffer.from(b.encode(b.fromObject(object)).finish()), Buffer.from(bytesA));
  assert.equal(b.verify({id: 5}), a.verify({id: 5}));
  assert.equal(b.verify(b.fromObject(object)), null);
});

test('after a first call the type holds the generated function, and the Any wrapper still applies', async () => {
  const lazy = await load(true);
  const root = lazy.Root.fromJSON(descriptor);
  const outer = root.lookupType('t.Outer');
  const bytes = outer.encode(outer.fromObject({id: 'x'})).finish();
  assert.match(String(outer.decode), /fn\.apply/, 'setup has run (encode was called), and decode is still a stub');
  outer.decode(bytes);
  assert.doesNotMatch(String(outer.decode), /fn\.apply/, 'decode is the generated function once made');
  const any = root.lookupType('google.protobuf.Any');
  // The Any wrapper turns {"@type", ...fields} into type_url and the encoded fields.
  const made = any.toObject(any.fromObject({'@type': 'type.googleapis.com/t.Inner', name: 'z'}), {json: true}) as Record<string, unknown>;
  assert.deepEqual(made, {'@type': 'type.googleapis.com/t.Inner', name: 'z'});
});
