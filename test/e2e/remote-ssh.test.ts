import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {ctr} from '../helpers/ctr.js';
import {closeEtcdClient, etcdctl, putKeys} from '../helpers/etcd.js';
import {encodeK8sObject, readK8sObject} from '../../source/data/k8s/object.js';
import {NODE_NAME} from '../../scripts/sandbox/seed-cluster.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {assertShowing} from '../helpers/screen.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {sshdMissing, TestSshd} from '../helpers/sshd.js';
import {startUndock, stopAll} from '../helpers/undock.js';
import type {PtySession} from '../helpers/pty.js';

// A second node reached the way operators reach one: a real sshd on loopback, the system's ssh
// client, and a second sandbox's containerd socket on the far side of the forward.
const missing = sshdMissing();
const env = sandboxEnv();
const node2 = sideSandbox('ssh');
const sshd = new TestSshd();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ud-remote-'));
const RUN = process.pid.toString(36);
const REMOTE = `remote-web-${RUN}`;
// The second node as the cluster knows it: a Node object of its own in the cluster's etcd.
const REMOTE_NODE = `node2-${RUN}`;
let node2Env: Record<string, string> = {};
let up = false;

function remoteCtr(...args: string[]): string {
  return execFileSync('ctr', ['--address', node2Env.CONTAINERD_ADDRESS!, '-n', 'default', ...args], {encoding: 'utf8'});
}

before(async () => {
  if (missing) return;
  node2.run('up');
  up = true;
  node2Env = Object.fromEntries([...node2.run('env').matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const where = ['--runc-root', path.join(node2.dir, 'runc'), '--cgroup', `${node2Env.UNDOCK_CGROUP_PARENT}/default/${REMOTE}`];
  const snap = node2Env.CONTAINERD_SNAPSHOTTER ? ['--snapshotter', node2Env.CONTAINERD_SNAPSHOTTER] : [];
  const log = path.join(node2.dir, `${REMOTE}.log`);
  remoteCtr('run', '-d', '--net-host', ...snap, ...where, '--log-uri', `file://${log}`, 'docker.io/library/busybox:latest', REMOTE, 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo remote-tick-$i; sleep 0.3; done');
  await sshd.start();
  await putKeys([
    [
      `/registry/minions/${REMOTE_NODE}`,
      encodeK8sObject({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {name: REMOTE_NODE, uid: `uid-${REMOTE_NODE}`, creationTimestamp: new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'), labels: {'kubernetes.io/hostname': REMOTE_NODE}},
        status: {conditions: [{type: 'Ready', status: 'False', reason: 'KubeletNotReady'}], nodeInfo: {kubeletVersion: 'v1.29.9'}, addresses: [{type: 'InternalIP', address: '10.9.0.2'}]},
      }),
    ],
  ]);
  fs.writeFileSync(
    path.join(dir, 'config.yaml'),
    [
      'currentContext: node2',
      'contexts:',
      '  - name: local',
      `    address: ${env.address}`,
      '    view: containers',
      `    node: ${NODE_NAME}`,
      `    etcd: {endpoints: [${env.etcdEndpoints}]}`,
      '  - name: node2',
      `    address: ssh://root@127.0.0.1:${sshd.port}${node2Env.CONTAINERD_ADDRESS}`,
      '    view: containers',
      `    node: ${REMOTE_NODE}`,
      `    etcd: {endpoints: [${env.etcdEndpoints}]}`,
    ].join('\n') + '\n',
  );
});

after(() => {
  stopAll();
  if (up) etcdctl('del', `/registry/minions/${REMOTE_NODE}`);
  closeEtcdClient();
  if (up) {
    spawnSync('ctr', ['--address', node2Env.CONTAINERD_ADDRESS!, '-n', 'default', 'tasks', 'rm', '-f', REMOTE]);
    spawnSync('ctr', ['--address', node2Env.CONTAINERD_ADDRESS!, '-n', 'default', 'containers', 'rm', REMOTE]);
    node2.down();
  }
  sshd.stop();
  fs.rmSync(dir, {recursive: true, force: true});
});

function start(cols = 150): PtySession {
  // No CONTAINERD_ADDRESS: the config file's context says where containerd is.
  return startUndock(['--config', path.join(dir, 'config.yaml')], {cols, rows: 30, env: {CONTAINERD_ADDRESS: '', CONTAINER_RUNTIME_ENDPOINT: '', UNDOCK_SSH: sshd.sshCommand}});
}

const rowOf = (screen: string, name: string) => screen.split('\n').find((l) => l.includes(` ${name} `) || l.startsWith(name));

test('an ssh:// context lists the remote node\'s containers, execs into one, follows its log, and switches back', {skip: missing, timeout: 120_000}, async () => {
  const s = start();
  const screen = await s.waitFor((sc) => sc.includes(REMOTE) && new RegExp(`containerd: ● .*ssh://root@127\\.0\\.0\\.1:${sshd.port}`).test(sc), 20_000);
  assertShowing(screen, /context: node2/);
  // The remote node's containers, and none of this node's seeded ones.
  assert.ok(rowOf(screen, REMOTE)?.includes('running'), screen);
  assert.ok(!screen.split('\n').some((l) => /^ web /.test(l)), `the local node's "web" should not be listed:\n${screen}`);
  // The forward's socket is private: a 0700 folder of undock's own.
  const forwards = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('ud-ssh-'));
  assert.ok(forwards.length >= 1, 'a forward folder exists');
  for (const f of forwards) assert.equal(fs.statSync(path.join(os.tmpdir(), f)).mode & 0o777, 0o700);

  // Logs: read on the node with its own tail -F.
  await s.press('/');
  await s.type(REMOTE);
  await s.press('enter');
  await s.press('l');
  const logs = await s.waitFor(/remote-tick-\d+/, 10_000);
  const first = Number(/remote-tick-(\d+)/.exec(logs)![1]);
  await s.waitFor((sc) => [...sc.matchAll(/remote-tick-(\d+)/g)].some((m) => Number(m[1]) > first + 2), 10_000);
  await s.press('esc');
  await s.waitFor(/Containers/);

  // Exec: a shell in the remote container, through the node's ctr.
  await s.press('s');
  await s.waitFor(/# $|\$ $/m, 15_000);
  await s.type('echo remote-$((6*7)) > /tmp/marker-' + RUN + '; cat /tmp/marker-' + RUN + '\r');
  await s.waitFor(/^remote-42$/m, 10_000);
  await s.type('exit\r');
  await s.waitFor(/Containers/, 10_000);
  // What the shell wrote is in the remote container, as the node's own ctr reads it.
  const marker = execFileSync('ctr', ['--address', node2Env.CONTAINERD_ADDRESS!, '-n', 'default', 'tasks', 'exec', '--exec-id', `check-${RUN}`, REMOTE, 'cat', `/tmp/marker-${RUN}`], {encoding: 'utf8'});
  assert.equal(marker.trim(), 'remote-42');

  // Switch back: this node's seeded containers again.
  await s.press(':');
  await s.type('ctx');
  await s.press('enter');
  const ctxList = await s.waitFor(/Contexts[\s\S]*local[\s\S]*node2/, 10_000);
  assert.match(ctxList, /node2 .*containerd 1\./);
  await s.press('/');
  await s.type('local');
  await s.press('enter');
  await s.press('enter');
  const local = await s.waitFor((sc) => /context: local/.test(sc) && sc.split('\n').some((l) => /^ web /.test(l)), 15_000);
  assert.ok(!local.includes(REMOTE), `the remote container should not be listed locally:\n${local}`);
  assert.ok(ctr('default', 'containers', 'ls', '-q').split('\n').includes('web'), 'web is this node\'s');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  // The forward is gone with undock: no ssh of ours left, no folder.
  const left = spawnSync('pgrep', ['-f', `127.0.0.1:${sshd.port}|-p ${sshd.port}`], {encoding: 'utf8'}).stdout.trim();
  assert.equal(left, '', 'no ssh process is left');
});

test('sshd killed mid-session: the header says the node is unreachable with ssh\'s words, and undock recovers when it returns', {skip: missing, timeout: 120_000}, async () => {
  const s = start(250);
  await s.waitFor(new RegExp(REMOTE), 20_000);
  sshd.kill();
  const down = await s.waitFor(/containerd: ✗ down: containerd at ssh:\/\/root@127\.0\.0\.1:\d+\S* is not reachable: /, 30_000);
  // ssh's own words (the connection closed or refused) and the command that checks it.
  assertShowing(down, /(Connection refused|Connection closed|closed by remote host|Broken pipe|Connection reset).*: is sshd running there\? try ssh -p \d+ root@127\.0\.0\.1/, 'ssh\'s own words and the fix');
  await sshd.start();
  const back = await s.waitFor((sc) => /containerd: ● /.test(sc) && sc.includes(REMOTE), 30_000);
  assert.ok(rowOf(back, REMOTE)?.includes('running'), back);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('an unknown host key is refused with the command that fixes it', {skip: missing, timeout: 60_000}, async () => {
  if (!sshd.running) await sshd.start();
  const cfg = path.join(dir, 'unknown.yaml');
  fs.writeFileSync(cfg, `contexts:\n  - name: stranger\n    address: ssh://root@127.0.0.1:${sshd.port}/run/containerd/containerd.sock\n    view: containers\n`);
  const emptyKnown = path.join(dir, 'strict-ssh');
  // The same client set-up, but knowing no host key.
  fs.writeFileSync(emptyKnown, `#!/bin/sh\nexec ssh -F ${path.join(sshd.dir, 'ssh_config')} -o UserKnownHostsFile=/dev/null "$@"\n`, {mode: 0o755});
  const s = startUndock(['--config', cfg], {cols: 250, rows: 30, env: {CONTAINERD_ADDRESS: '', CONTAINER_RUNTIME_ENDPOINT: '', UNDOCK_SSH: emptyKnown}});
  const screen = await s.waitFor(/Host key verification failed.*accept the host key first: run ssh -p \d+ root@127\.0\.0\.1 once/, 20_000);
  assertShowing(screen, /context: stranger/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

/** The Pods etcd binds to a node and that are not terminal, read from etcd (what kubectl describe node counts). */
function podsBoundTo(node: string): number {
  const out = JSON.parse(etcdctl('get', '/registry/pods/', '--prefix', '-w', 'json')) as {kvs?: Array<{value: string}>};
  let n = 0;
  for (const kv of out.kvs ?? []) {
    const read = readK8sObject(Buffer.from(kv.value, 'base64'));
    if (!read.ok) continue;
    const spec = read.object.spec as {nodeName?: string} | undefined;
    const phase = (read.object.status as {phase?: string} | undefined)?.phase;
    if (spec?.nodeName === node && phase !== 'Succeeded' && phase !== 'Failed') n++;
  }
  return n;
}

test(':nodes lists the cluster\'s Nodes from etcd, with each context\'s runtime and drift counts; enter switches to a node', {skip: missing, timeout: 120_000}, async () => {
  if (!sshd.running) await sshd.start();
  const s = start(200);
  await s.waitFor(new RegExp(REMOTE), 20_000);
  await s.press(':');
  await s.type('nodes');
  await s.press('enter');
  const row = (sc: string, name: string) => sc.split('\n').find((l) => l.startsWith(` ${name} `));
  const screen = await s.waitFor((sc) => /Nodes/.test(sc) && /● 1\.6/.test(row(sc, NODE_NAME) ?? '') && /● 1\.6/.test(row(sc, REMOTE_NODE) ?? ''), 30_000);
  const local = row(screen, NODE_NAME)!.split(/\s{2,}|\s(?=\S)/).filter(Boolean);
  const remote = row(screen, REMOTE_NODE)!;
  // worker-1: the seeded Node, its non-terminal Pods, context local, and the seed's one orphan and one missing pod.
  assert.match(row(screen, NODE_NAME)!, new RegExp(`^ ${NODE_NAME} +Ready .* ${podsBoundTo(NODE_NAME)} +local +● 1\\.6\\S* +1 +1 *$`), screen);
  assert.ok(local.length > 3, screen);
  // The remote node: NotReady as its Node says, no pods bound, context node2 (current), nothing to drift.
  assert.match(remote, new RegExp(`^ ${REMOTE_NODE} +NotReady .*v1\\.29\\.9 .* 0 +\\*node2 +● 1\\.6\\S* +0 +0 *$`), screen);
  await s.press('/');
  await s.type(NODE_NAME);
  await s.press('enter');
  await s.press('enter');
  await s.waitFor((sc) => /context: local/.test(sc), 15_000);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
