import assert from 'node:assert/strict';
import {test} from 'node:test';
import {apiPodOf, objectKey, ownerOf, parsePodKey} from '../../../../source/data/k8s/links.js';
import {encodeK8sObject} from '../../../../source/data/k8s/object.js';
import {foldersOf} from '../../../../source/views/keys/index.js';

test('pod keys parse to namespace and name; anything else does not', () => {
  assert.deepEqual(parsePodKey('/registry/pods/default/web-1'), {namespace: 'default', name: 'web-1'});
  for (const key of ['/registry/pods/default/', '/registry/pods/default', '/registry/pods/a/b/c', '/registry/services/specs/a/b', 'registry/pods/a/b']) {
    assert.equal(parsePodKey(key), undefined, key);
  }
});

test('owners live where kube-apiserver stores their kind', () => {
  for (const [kind, ns, name, key] of [
    ['ReplicaSet', 'default', 'web-7d9f', '/registry/replicasets/default/web-7d9f'],
    ['Deployment', 'default', 'web', '/registry/deployments/default/web'],
    ['Job', 'batch', 'backup', '/registry/jobs/batch/backup'],
    ['StatefulSet', 'db', 'pg', '/registry/statefulsets/db/pg'],
    ['DaemonSet', 'kube-system', 'kube-proxy', '/registry/daemonsets/kube-system/kube-proxy'],
    ['CronJob', 'batch', 'nightly', '/registry/cronjobs/batch/nightly'],
    ['Node', 'default', 'worker-1', '/registry/minions/worker-1'],
    ['Service', 'default', 'web', '/registry/services/specs/default/web'],
  ] as const) assert.equal(objectKey(kind, ns, name), key, kind);
});

test('ownerOf prefers the controller reference and says where it is', () => {
  const pod = {metadata: {namespace: 'default', ownerReferences: [
    {apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u0'},
    {apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f', uid: 'u1', controller: true},
  ]}};
  assert.deepEqual(ownerOf(pod), {kind: 'ReplicaSet', name: 'web-7d9f', uid: 'u1', key: '/registry/replicasets/default/web-7d9f'});
  assert.equal(ownerOf({metadata: {name: 'x'}}), undefined);
  assert.equal(ownerOf({}), undefined);
});

test('a stored Pod gives the fields the drift check compares; other values give nothing', () => {
  const value = encodeK8sObject({
    apiVersion: 'v1', kind: 'Pod',
    metadata: {name: 'web-1', namespace: 'default', uid: 'u-1', deletionTimestamp: '2026-01-01T00:00:00Z'},
    spec: {nodeName: 'worker-1', containers: [{name: 'app', image: 'busybox'}, {name: 'side', image: 'nginx:1'}]},
    status: {phase: 'Running'},
  });
  assert.deepEqual(apiPodOf('/registry/pods/default/web-1', value), {
    key: '/registry/pods/default/web-1', namespace: 'default', name: 'web-1', uid: 'u-1', nodeName: 'worker-1', phase: 'Running', deleting: true,
    containers: [{name: 'app', image: 'busybox'}, {name: 'side', image: 'nginx:1'}],
  });
  const json = Buffer.from(JSON.stringify({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'j', namespace: 'x', uid: 'u'}, spec: {}}));
  assert.equal(apiPodOf('/registry/pods/x/j', json)?.uid, 'u', 'a JSON-stored Pod reads the same way');
  assert.equal(apiPodOf('/registry/pods/x/y', encodeK8sObject({apiVersion: 'v1', kind: 'Node', metadata: {name: 'n'}})), undefined);
  assert.equal(apiPodOf('/registry/pods/x/y', Buffer.from('k8s:enc:aescbc:v1:key1:xxxx')), undefined);
  assert.equal(apiPodOf('/registry/pods/x/y', Buffer.from([0x6b, 0x38, 0x73, 0, 0xff, 0xff])), undefined);
});

test('a cross-link opens the key tree with the folders above its key', () => {
  assert.deepEqual(foldersOf('/registry/pods/default/web'), ['/', '/registry/', '/registry/pods/', '/registry/pods/default/']);
  assert.deepEqual(foldersOf('config/app.yaml'), ['config/']);
});
