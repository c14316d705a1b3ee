import assert from 'node:assert/strict';
import {test} from 'node:test';
import {encodeK8sObject, readK8sObject} from '../../../../source/data/k8s/object.js';
import {describeValue} from '../../../../source/data/values/decode.js';
import {valueLines} from '../../../../source/ui/value-lines.js';
import {lineText} from '../../../../source/ui/yaml.js';
import {valueForDescribe} from '../../../../source/views/keys/actions.js';
import {FIXTURES} from './fixtures.js';

const preview = (v: Buffer, reveal = false) => valueLines(describeValue(v), {reveal}).map(lineText);

test('values encrypted at rest name their provider and key, for every provider kube-apiserver writes', () => {
  const cipher = Buffer.alloc(200, 0xa5);
  const cases: Array<[string, string]> = [
    ['k8s:enc:aescbc:v1:key1:', 'encrypted at rest (aescbc, key key1), 223 bytes'],
    ['k8s:enc:aesgcm:v1:key2:', 'encrypted at rest (aesgcm, key key2), 223 bytes'],
    ['k8s:enc:secretbox:v1:box:', 'encrypted at rest (secretbox, key box), 225 bytes'],
    ['k8s:enc:kms:v1:vault:', 'encrypted at rest (kms v1, key vault), 221 bytes'],
    ['k8s:enc:kms:v2:vault-v2:', 'encrypted at rest (kms v2, key vault-v2), 224 bytes'],
  ];
  for (const [prefix, line] of cases) {
    const value = Buffer.concat([Buffer.from(prefix), cipher]);
    assert.equal(preview(value)[0], line);
    assert.equal(describeValue(value).kind, 'encrypted');
    const r = readK8sObject(value);
    assert.ok(!r.ok && r.encrypted, prefix);
    assert.equal(valueForDescribe(value), line);
  }
});

test('a JSON-stored object (a CRD, a cluster before 1.6) previews as the same YAML, keys sorted', () => {
  const pod = FIXTURES.find((o) => o.kind === 'Pod')!;
  const fromJson = preview(Buffer.from(JSON.stringify(pod)));
  const fromProto = preview(encodeK8sObject(pod));
  assert.equal(fromJson[0], '# v1 Pod, stored as JSON');
  assert.equal(fromProto[0], '# v1 Pod, Kubernetes protobuf (k8s\\0), decoded with its schema');
  assert.deepEqual(fromJson.slice(1), fromProto.slice(1));
  const crd = {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w', namespace: 'shop'}, spec: {size: 3}};
  const lines = preview(Buffer.from(JSON.stringify(crd)));
  assert.deepEqual(lines, ['# example.com/v1 Widget, stored as JSON', 'apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', '  namespace: shop', 'spec:', '  size: 3']);
  // JSON that is not an object of the API stays JSON
  assert.deepEqual(preview(Buffer.from('{"kind":"x"}')), ['{', '  "kind": "x"', '}']);
});

test('managedFields are folded into one line', () => {
  const lines = preview(encodeK8sObject(FIXTURES.find((o) => o.kind === 'Pod')!));
  assert.ok(lines.includes('  managedFields: (2 entries, folded)'), lines.slice(0, 12).join('\n'));
  assert.ok(!lines.some((l) => l.includes('kube-controller-manager')));
});

test("a Secret's data and stringData are masked unless revealed; describe keeps them masked", () => {
  const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, data: {pw: Buffer.from('hunter2').toString('base64')}, stringData: {note: 'plain secret'}, type: 'Opaque'};
  const value = encodeK8sObject(secret);
  const masked = preview(value).join('\n');
  assert.match(masked, /pw: •••••••• \(7 bytes\)/);
  assert.match(masked, /note: •••••••• \(12 bytes\)/);
  assert.ok(!masked.includes('hunter2') && !masked.includes('plain secret') && !masked.includes(secret.data.pw));
  const shown = preview(value, true).join('\n');
  assert.match(shown, /pw: hunter2/);
  assert.match(shown, /note: plain secret/);
  const described = JSON.stringify(valueForDescribe(value));
  assert.ok(!described.includes('hunter2') && !described.includes(secret.data.pw), described);
});

test('an unknown kind says so and keeps the schema-less tree, with its metadata by name', () => {
  const value = encodeK8sObject({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cm', namespace: 'ns'}, data: {a: 'b'}});
  // the same bytes under a kind undock has no schema for
  const renamed = Buffer.from(value.toString('latin1').replace('ConfigMap', 'ConfigMaq'), 'latin1');
  const lines = preview(renamed);
  assert.match(lines[0]!, /v1 ConfigMaq: undock has no schema for this kind/);
  assert.ok(lines.includes('  name: cm') && lines.includes('  namespace: ns'), lines.join('\n'));
  assert.ok(lines.some((l) => /^2 \{/.test(l)), 'the rest by field number');
});
