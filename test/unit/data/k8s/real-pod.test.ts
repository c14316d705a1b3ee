import assert from 'node:assert/strict';
import fs from 'node:fs';
import {test} from 'node:test';
import {encodeK8sObject, readK8sObject} from '../../../../source/data/k8s/object.js';
import {needsShared, sharedFile} from '../../../helpers/shared-testdata.js';

// The Pod kube-apiserver wrote (not this project), and kubectl's JSON of it, from ../shared.
const skip = needsShared('k8s/pod.storage.bin', 'k8s/pod.json');
const podBin = skip ? Buffer.alloc(0) : fs.readFileSync(sharedFile('k8s/pod.storage.bin'));
const podJson = skip ? {} : (JSON.parse(fs.readFileSync(sharedFile('k8s/pod.json'), 'utf8')) as unknown);

/** Every scalar (string, number, boolean, null) of a JSON tree with its path: metadata.labels.job-name. */
function scalars(v: unknown, path = ''): [string, unknown][] {
  if (v === null || typeof v !== 'object') return [[path, v]];
  const entries = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : Object.entries(v).map(([k, x]) => [`${path ? '.' : ''}${k}`, x] as const);
  return entries.flatMap(([k, x]) => scalars(x, `${path}${k}`));
}

test('the real Pod decodes with field names: every scalar in pod.json is the decoder\'s, at the same path', {skip}, () => {
  const r = readK8sObject(podBin);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.equal(r.encoding, 'protobuf');
  assert.equal(r.known, true);
  const expected = scalars(podJson);
  assert.ok(expected.length > 60, `pod.json has ${expected.length} scalars`);
  const decoded = new Map(scalars(r.object));
  const wrong = expected.filter(([path, v]) => !decoded.has(path) || decoded.get(path) !== v);
  assert.deepEqual(wrong.map(([path, v]) => `${path} = ${JSON.stringify(v)}, decoded ${JSON.stringify(decoded.get(path))}`), []);
});

test('the real Pod: the decoder adds no scalar that kubectl does not show', {skip}, () => {
  const r = readK8sObject(podBin);
  assert.ok(r.ok);
  const expected = new Set(scalars(podJson).map(([p]) => p));
  assert.deepEqual(scalars(r.object).map(([p]) => p).filter((p) => !expected.has(p)), []);
});

test('the real Pod encodes and decodes back to the same object', {skip}, () => {
  const r = readK8sObject(podBin);
  assert.ok(r.ok);
  const again = readK8sObject(encodeK8sObject(r.object));
  assert.ok(again.ok);
  assert.deepEqual(again.object, r.object);
  assert.deepEqual(again.object, podJson);
});
