import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {CriContainerRecord} from '../../../source/data/cri/containers.js';
import type {PodRecord} from '../../../source/data/cri/pods.js';
import {restartCount} from '../../../source/data/cri/records.js';
import {podRow} from '../../../source/resources/pods/source.js';

const annotation = 'io.kubernetes.container.restartCount';

test('restarts are kubelet’s annotation when it is a count, else the CRI attempt', () => {
  assert.equal(restartCount({[annotation]: '3'}, 1), 3);
  assert.equal(restartCount({[annotation]: '0'}, 2), 0);
  assert.equal(restartCount(undefined, 2), 2);
  assert.equal(restartCount({}, 2), 2);
  for (const junk of ['x', '-1', '1.5']) assert.equal(restartCount({[annotation]: junk}, 4), 4, junk);
});

test('a pod’s restarts are the sum of its containers’', () => {
  const c = (restarts: number) => ({restarts, state: 'running', name: 'c'}) as CriContainerRecord;
  const pod = {id: 'p', name: 'p', namespace: 'ns', uid: 'u', state: 'ready', labels: {}} as unknown as PodRecord;
  assert.equal(podRow(pod, [c(1), c(2)], '').restarts, 3);
});
