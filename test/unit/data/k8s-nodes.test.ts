import assert from 'node:assert/strict';
import {test} from 'node:test';
import {encodeK8sObject} from '../../../source/data/k8s/object.js';
import {apiNodeOf, podsPerNode} from '../../../source/data/k8s/nodes.js';
import {apiPodOf} from '../../../source/data/k8s/links.js';

const node = (name: string, ready: string | undefined, extra: Record<string, unknown> = {}) =>
  encodeK8sObject({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name, uid: `uid-${name}`, creationTimestamp: '2026-11-30T10:00:00Z', labels: {'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': name}},
    spec: extra,
    status: {
      conditions: ready === undefined ? [] : [{type: 'MemoryPressure', status: 'False'}, {type: 'Ready', status: ready, reason: 'KubeletReady'}],
      addresses: [{type: 'InternalIP', address: '10.0.0.7'}, {type: 'Hostname', address: name}],
      nodeInfo: {kubeletVersion: 'v1.29.4'},
    },
  });

test('a stored Node reads as kubectl get nodes shows it', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['ready', node('a', 'True'), 'Ready'],
    ['not ready', node('b', 'False'), 'NotReady'],
    ['unknown', node('c', 'Unknown'), 'Unknown'],
    ['no condition yet', node('d', undefined), 'Unknown'],
    ['cordoned', node('e', 'True', {unschedulable: true}), 'Ready,SchedulingDisabled'],
  ];
  for (const [what, value, status] of cases) {
    const n = apiNodeOf('/registry/minions/x', value);
    assert.equal(n?.status, status, what);
    assert.deepEqual(n?.roles, ['control-plane'], what);
    assert.equal(n?.kubeletVersion, 'v1.29.4', what);
    assert.equal(n?.internalIP, '10.0.0.7', what);
    assert.equal(n?.createdAt, Date.parse('2026-11-30T10:00:00Z'), what);
  }
  // Not a Node, or not readable: no row rather than a wrong one.
  assert.equal(apiNodeOf('/registry/minions/x', Buffer.from('garbage')), undefined);
  assert.equal(apiNodeOf('/registry/minions/x', encodeK8sObject({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'x'}})), undefined);
});

test('pods per node count what is bound there and not terminal', () => {
  const pod = (name: string, nodeName: string, phase: string) =>
    apiPodOf(`/registry/pods/default/${name}`, encodeK8sObject({apiVersion: 'v1', kind: 'Pod', metadata: {name, namespace: 'default', uid: name}, spec: {nodeName, containers: [{name: 'c', image: 'busybox'}]}, status: {phase}}))!;
  const counts = podsPerNode([pod('a', 'n1', 'Running'), pod('b', 'n1', 'Pending'), pod('c', 'n1', 'Succeeded'), pod('d', 'n2', 'Failed'), pod('e', '', 'Pending'), pod('f', 'n2', 'Running')]);
  assert.deepEqual([...counts.entries()].sort(), [['n1', 2], ['n2', 1]]);
});
