import assert from 'node:assert/strict';
import {test} from 'node:test';
import {splitCommand} from '../../../source/resources/words.js';
import {summarize} from '../../../source/resources/events/index.js';
import {containerName} from '../../../source/resources/containers/source.js';
import {statusText} from '../../../source/resources/containers/columns.js';

test('the run form splits a command as a shell would for quotes', () => {
  assert.deepEqual(splitCommand(`sh -c 'echo $((6*7)); sleep 1'`), ['sh', '-c', 'echo $((6*7)); sleep 1']);
  assert.deepEqual(splitCommand(`A=1 B="two words"`), ['A=1', 'B=two words']);
  assert.deepEqual(splitCommand('   '), []);
});

test('event details name the object and what happened', () => {
  assert.equal(summarize({container_id: 'web', id: 'web', pid: 42, exit_status: 137}), 'web  pid 42  exit 137');
  assert.equal(summarize({container_id: 'web', id: 'exec-1', pid: 7}), 'web  exec exec-1  pid 7');
  assert.equal(summarize({name: 'docker.io/library/busybox:latest'}), 'docker.io/library/busybox:latest');
  assert.equal(summarize(undefined), '');
});

test('containers are named as nerdctl and the kubelet name them, and exit codes show', () => {
  assert.equal(containerName({id: 'abc', labels: {'nerdctl/name': 'web'}}), 'web');
  assert.equal(containerName({id: 'abc', labels: {'io.kubernetes.container.name': 'nginx'}}), 'nginx');
  assert.equal(containerName({id: 'abc', labels: {}}), 'abc');
  const row = {namespace: 'default', id: 'a', name: 'a', image: '', status: 'stopped', exitStatus: 3, labels: {}};
  assert.equal(statusText(row), 'stopped(3)');
  assert.equal(statusText({...row, status: 'created', exitStatus: undefined}), 'created');
});
