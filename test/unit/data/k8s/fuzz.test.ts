import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import fc from 'fast-check';
import {encodeK8sObject, K8S_MAGIC, readK8sObject} from '../../../../source/data/k8s/object.js';
import {describeValue} from '../../../../source/data/values/decode.js';
import {valueLines} from '../../../../source/ui/value-lines.js';
import {needsShared, sharedFile} from '../../../helpers/shared-testdata.js';
import {FIXTURES} from './fixtures.js';

const encoded = FIXTURES.map((o) => encodeK8sObject(o));
const skipPod = needsShared('k8s/pod.storage.bin');
if (!skipPod) encoded.push(fs.readFileSync(sharedFile('k8s/pod.storage.bin')));

/** Reading never throws, and whatever it answers is a whole answer; the preview draws it too. */
function readsSafely(value: Buffer): void {
  const r = readK8sObject(value);
  if (r.ok) assert.ok(typeof r.object === 'object' && typeof r.kind === 'string');
  else assert.ok(r.reason.length > 0);
  assert.ok(valueLines(describeValue(value)).length > 0);
  valueLines(describeValue(value), {reveal: true});
}

test('truncated k8s values (every kind, cut anywhere) fall back without throwing', () => {
  fc.assert(
    fc.property(fc.integer({min: 0, max: encoded.length - 1}), fc.double({min: 0, max: 1, noNaN: true}), (i, at) => {
      const v = encoded[i]!;
      readsSafely(v.subarray(0, Math.floor(v.length * at)));
    }),
    {numRuns: 1_500},
  );
});

test('k8s values with bytes flipped or garbage after the magic fall back without throwing', () => {
  fc.assert(
    fc.property(fc.integer({min: 0, max: encoded.length - 1}), fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 255})), {minLength: 1, maxLength: 8}), (i, flips) => {
      const v = Buffer.from(encoded[i]!);
      for (const [at, b] of flips) v[4 + (at % (v.length - 4))] = b;
      readsSafely(v);
    }),
    {numRuns: 1_500},
  );
  fc.assert(fc.property(fc.uint8Array({maxLength: 400}), (bytes) => readsSafely(Buffer.concat([K8S_MAGIC, bytes]))), {numRuns: 1_500});
});

test('unknown kinds keep their metadata by name and say so', () => {
  fc.assert(
    fc.property(fc.string({minLength: 1, maxLength: 12}), fc.string({minLength: 1, maxLength: 12}), (group, kind) => {
      const pod = encodeK8sObject({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'x', uid: 'u'}, spec: {nodeName: 'n'}});
      // the same object bytes under a kind undock has no schema for
      const raw = readRaw(pod);
      const value = envelope(`${group}/v9`, `${kind}Thing`, raw);
      const r = readK8sObject(value);
      assert.ok(r.ok);
      assert.equal(r.known, false);
      assert.deepEqual(r.object.metadata, {name: 'x', uid: 'u'});
      assert.match(valueLines(describeValue(value)).map((l) => l.map((s) => s.text).join('')).join('\n'), /no schema for this kind/);
    }),
    {numRuns: 200},
  );
});

test('JSON objects, Kubernetes or not, and JSON-looking garbage never throw', () => {
  fc.assert(fc.property(fc.json(), (text) => readsSafely(Buffer.from(text))), {numRuns: 1_000});
  fc.assert(
    fc.property(fc.object(), (o) => readsSafely(Buffer.from(JSON.stringify({apiVersion: 'v1', kind: 'Pod', ...o})))),
    {numRuns: 500},
  );
});

// runtime.Unknown by hand: field 1 TypeMeta {1 apiVersion, 2 kind}, field 2 raw
function ld(field: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), bytes]);
}

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  return Buffer.concat([K8S_MAGIC, ld(1, Buffer.concat([ld(1, Buffer.from(apiVersion)), ld(2, Buffer.from(kind))])), ld(2, raw)]);
}

function readRaw(value: Buffer): Buffer {
  // the envelope's field 2 follows field 1 (TypeMeta): skip the magic, tag 0x0a, its length and body, then tag 0x12
  let at = 5;
  const typeMetaLen = value[at]!;
  at += 1 + typeMetaLen;
  assert.equal(value[at], 0x12);
  let len = 0;
  let shift = 0;
  for (at++; ; at++) {
    len |= (value[at]! & 0x7f) << shift;
    shift += 7;
    if (value[at]! < 0x80) break;
  }
  return value.subarray(at + 1, at + 1 + len);
}
