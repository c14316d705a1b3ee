import assert from 'node:assert/strict';
import {test} from 'node:test';
import {K8S_KINDS, kindOfKey} from '../../../../source/data/k8s/kinds.js';
import {K8S_MAGIC, encodeK8sObject, readK8sObject} from '../../../../source/data/k8s/object.js';
import {FIXTURES} from './fixtures.js';

test('every kind undock has a schema for has a fixture', () => {
  const have = new Set(FIXTURES.map((o) => `${o.apiVersion}/${o.kind}`));
  assert.deepEqual(K8S_KINDS.map((k) => `${k.apiVersion}/${k.kind}`).filter((k) => !have.has(k)), []);
});

for (const obj of FIXTURES) {
  test(`${obj.apiVersion} ${obj.kind}: encode, then decode, gives the same object`, () => {
    const bytes = encodeK8sObject(obj);
    assert.ok(bytes.subarray(0, 4).equals(K8S_MAGIC));
    const r = readK8sObject(bytes);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    assert.equal(r.encoding, 'protobuf');
    assert.equal(r.known, true);
    assert.deepEqual(r.object, obj);
    // the encoding is deterministic (map keys sorted, as Go's protobuf writes them)
    assert.ok(encodeK8sObject(r.object).equals(bytes));
  });
}

test('the encoder refuses a field its protos do not have, naming it', () => {
  assert.throws(() => encodeK8sObject({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'x'}, spec: {bogus: 1}}), /Pod\.spec\.bogus/);
  assert.throws(() => encodeK8sObject({apiVersion: 'example.com/v1', kind: 'Widget'}), /no schema/);
});

test('zero values: kept where kubectl shows them, left out where Go omits them', () => {
  const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'z', generation: 0}, spec: {hostNetwork: false, terminationGracePeriodSeconds: 0}, status: {containerStatuses: [{name: 'c', ready: false, restartCount: 0}]}};
  const r = readK8sObject(encodeK8sObject(pod));
  assert.ok(r.ok);
  assert.deepEqual(r.object, {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'z'}, spec: {terminationGracePeriodSeconds: 0}, status: {containerStatuses: [{name: 'c', ready: false, restartCount: 0}]}});
});

test('etcd keys name their kind', () => {
  assert.equal(kindOfKey('/registry/pods/default/web')?.kind, 'Pod');
  assert.equal(kindOfKey('/registry/services/endpoints/default/web')?.kind, 'Endpoints');
  assert.equal(kindOfKey('/registry/services/specs/default/web')?.kind, 'Service');
  assert.equal(kindOfKey('/registry/minions/node-1')?.kind, 'Node');
  assert.equal(kindOfKey('/registry/clusterrolebindings/x')?.kind, 'ClusterRoleBinding');
  assert.equal(kindOfKey('/registry/widgets/x'), undefined);
});
