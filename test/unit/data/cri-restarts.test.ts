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

const pod = {id: 'p', name: 'p', namespace: 'ns', uid: 'u', state: 'ready', labels: {}} as unknown as PodRecord;
const c = (name: string, attempt: number, state = 'running') => ({name, attempt, restarts: attempt, state}) as CriContainerRecord;

test('a pod’s restarts are the sum over its container names of the latest attempt’s count', () => {
  assert.equal(podRow(pod, [c('a', 1), c('b', 2)], '').restarts, 3);
  // Attempts 0, 1 and 2 of one container are one container that restarted twice, as kubectl counts.
  assert.equal(podRow(pod, [c('a', 0, 'exited'), c('a', 1, 'exited'), c('a', 2)], '').restarts, 2);
});

test('READY counts container names, each by its latest attempt', () => {
  const row = podRow(pod, [c('a', 0, 'exited'), c('a', 1), c('b', 0, 'exited')], '');
  assert.deepEqual([row.ready, row.total, row.containers], [1, 2, ['a', 'b']]);
  assert.equal(podRow(pod, [c('a', 1), c('a', 0, 'exited')], '').ready, 1, 'an older exited attempt does not count against it');
  assert.equal(podRow(pod, [c('a', 1, 'exited'), c('a', 0)], '').ready, 0, 'the latest attempt decides, whatever the order');
});
