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
  assert.equal(summarize({container_id: 'f'.repeat(64), pid: 9}, 'pod/default/nginx-7d9f'), 'pod/default/nginx-7d9f  pid 9', 'by name when known');
  assert.equal(summarize(undefined), '');
});

test('containers are named as nerdctl and the kubelet name them, a pod sandbox as pod/namespace/name', () => {
  assert.equal(containerName({id: 'abc', labels: {'nerdctl/name': 'web'}}), 'web');
  assert.equal(containerName({id: 'abc', labels: {'io.kubernetes.container.name': 'nginx'}}), 'nginx');
  const sandbox = {'io.cri-containerd.kind': 'sandbox', 'io.kubernetes.pod.name': 'nginx-7d9f', 'io.kubernetes.pod.namespace': 'default'};
  assert.equal(containerName({id: 'f'.repeat(64), labels: sandbox}), 'pod/default/nginx-7d9f');
  assert.equal(containerName({id: 'abc', labels: {}}), 'abc');
});

test('an exited task says its code and when, as docker ps does; a container without a task says so', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const row = {namespace: 'default', id: 'a', name: 'a', image: '', status: 'stopped', exitStatus: 137, exitedAt: new Date(now - 150_000), labels: {}};
  assert.equal(statusText(row, now), 'Exited (137) 2m ago');
  assert.equal(statusText({...row, exitedAt: undefined}, now), 'Exited (137)');
  const noTask = {...row, status: 'no task', exitStatus: undefined, exitedAt: undefined};
  assert.equal(statusText(noTask, now), 'no task');
  assert.equal(statusText({...noTask, lastExit: {status: 3, at: new Date(now - 5_000)}}, now), 'no task (exited 3 5s ago)');
  assert.equal(statusText({...row, status: 'running'}, now), 'running');
});
