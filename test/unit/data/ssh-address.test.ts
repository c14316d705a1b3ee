import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseSshAddress, sshTarget} from '../../../source/data/remote/ssh-address.js';
import {remoteExecCommand} from '../../../source/data/remote/remote-exec.js';
import {shellQuote, sshFix} from '../../../source/data/remote/ssh-tunnel.js';

test('ssh:// addresses as docker and nerdctl write them', () => {
  const cases: Array<[string, ReturnType<typeof parseSshAddress>]> = [
    ['ssh://node-1', {user: undefined, host: 'node-1', port: undefined, socket: '/run/containerd/containerd.sock'}],
    ['ssh://root@10.0.0.2:2222', {user: 'root', host: '10.0.0.2', port: 2222, socket: '/run/containerd/containerd.sock'}],
    ['ssh://ops@node-2/run/k3s/containerd/containerd.sock', {user: 'ops', host: 'node-2', port: undefined, socket: '/run/k3s/containerd/containerd.sock'}],
    ['ssh://[::1]:22/x.sock', {user: undefined, host: '::1', port: 22, socket: '/x.sock'}],
  ];
  for (const [address, want] of cases) assert.deepEqual(parseSshAddress(address), want, address);
});

test('a host or user that ssh would read as an option, or a bad port, is refused', () => {
  for (const bad of ['ssh://-oProxyCommand=x', 'ssh://-l@host', 'ssh://host:0', 'ssh://host:70000', 'ssh://', 'ssh://a b', 'ssh://host/a b', 'unix:///x']) {
    assert.throws(() => parseSshAddress(bad), /is not an ssh:\/\/ address/, bad);
  }
});

test('the destination is always after --, port and user as options', () => {
  assert.deepEqual(sshTarget(parseSshAddress('ssh://root@h:2200/s')), ['-p', '2200', '-l', 'root', '--', 'h']);
});

test('ssh failures come with the command that fixes them', () => {
  const a = parseSshAddress('ssh://root@h:2200');
  assert.match(sshFix(a, 'Host key verification failed'), /accept the host key first: run ssh -p 2200 root@h once/);
  assert.match(sshFix(a, 'root@h: Permission denied (publickey)'), /check the key or agent/);
  assert.match(sshFix(a, 'ssh: connect to host h port 2200: Connection refused'), /is sshd running there\? try ssh -p 2200 root@h/);
});

test('words for the remote shell are quoted, and the exec names its container after --', () => {
  assert.equal(shellQuote('plain/path-1.sock'), 'plain/path-1.sock');
  assert.equal(shellQuote("it's; rm -rf /"), `'it'\\''s; rm -rf /'`);
  const cmd = remoteExecCommand('/run/c.sock', {namespace: 'k8s.io', containerId: 'abc', command: ['ls', '-l']}, 'undock-1');
  assert.deepEqual(cmd, ['ctr', '--address', '/run/c.sock', '--namespace', 'k8s.io', 'task', 'exec', '--tty', '--exec-id', 'undock-1', '--', 'abc', 'ls', '-l']);
});
