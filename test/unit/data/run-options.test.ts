import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatPort, parsePorts} from '../../../source/data/cni/ports.js';
import {checkExtras} from '../../../source/data/containerd/run-extras.js';
import {checkLabels, parseLabels} from '../../../source/data/containerd/run-spec.js';

test('ports as nerdctl -p takes them', () => {
  assert.deepEqual(parsePorts('8080:80 127.0.0.1:5353:53/udp,9000:9000/tcp'), [
    {hostIP: '', hostPort: 8080, containerPort: 80, protocol: 'tcp'},
    {hostIP: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp'},
    {hostIP: '', hostPort: 9000, containerPort: 9000, protocol: 'tcp'},
  ]);
  assert.deepEqual(parsePorts('  '), []);
  assert.equal(parsePorts('8080:80/udp').map(formatPort).join(), '8080:80/udp');
  for (const bad of ['80', '0:80', '8080:70000', '8080:80/sctp', 'a:80', 'host:1:2', '1:2:3:4', '8080:80 8080:81']) {
    assert.throws(() => parsePorts(bad), /port|address|twice/, bad);
  }
  // The same host port on the other protocol is another mapping.
  assert.equal(parsePorts('53:53 53:53/udp').length, 2);
});

test('labels: KEY=VALUE words, reserved prefixes refused', () => {
  assert.deepEqual(parseLabels(['team=blue', 'a=b=c', 'flag']), {team: 'blue', a: 'b=c', flag: ''});
  assert.doesNotThrow(() => checkLabels('x', {team: 'blue'}));
  for (const k of ['undock/cni', 'containerd.io/restart.status', 'nerdctl/name', 'io.kubernetes.pod.uid']) {
    assert.throws(() => checkLabels('x', {[k]: 'v'}), /reserved/, k);
  }
  assert.throws(() => checkLabels('x', {k: 'v'.repeat(5000)}), /4096/);
});

test('run options that cannot work together are refused before anything is made', () => {
  const ports = parsePorts('8080:80');
  assert.throws(() => checkExtras('x', {ports}), /published ports need/);
  assert.throws(() => checkExtras('x', {tty: true}), /UNDOCK_RUN_DIR/);
  assert.throws(() => checkExtras('x', {tty: true, restart: true, runDir: '/r'}), /not available with a TTY/);
  assert.doesNotThrow(() => checkExtras('x', {ports, cni: {network: {cniVersion: '1.0.0', name: 'n', plugins: [{type: 'bridge'}]}, pluginDirs: []}, runDir: '/r'}));
});
