import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {test} from 'node:test';
import {cliPath} from '../helpers/pty.js';
import {ctr} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {assertShowing, showingWithout} from '../helpers/screen.js';
import {startUndock} from '../helpers/undock.js';
import {viewFlagNames} from '../../source/views/registry.js';

const env = sandboxEnv();

test('undock opens on the sandbox images with their columns, and q gives the terminal back', async () => {
  const s = startUndock();
  const screen = await s.waitFor(/docker\.io\/library\/busybox\s+1\.36/);
  assert.equal(s.bufferType(), 'alternate');
  assert.match(screen, /Images\(default\)\[\d+\]/);
  assert.match(screen, /NAME↑\s+TAG\s+DIGEST\s+SIZE\s+PLATFORMS\s+AGE/);
  assert.match(screen, /docker\.io\/library\/busybox\s+latest\s+[0-9a-f]{12}\s+\d+\.\d [KM]iB\s+linux\/amd64/);
  assert.match(screen, /localhost\/undock\/toolbox\s+dev/);
  await s.waitFor(/containerd: ● 1\.6\.\d+/);
  await s.waitFor(/etcd: ● 3\.4\.\d+ \(cluster 3\.4\.\d+\)/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assert.equal(s.bufferType(), 'normal');
});

test(':ns lists the namespaces; choosing k8s.io shows the pause image there', async () => {
  const s = startUndock();
  await s.waitFor('docker.io/library/busybox');
  await s.press(':');
  await s.type('ns');
  await s.press('enter');
  const ns = await s.waitFor(/Namespaces\[\d+\][\s\S]*k8s\.io/);
  assert.match(ns, /<images>\s+<namespaces>/);
  await s.press('/');
  await s.type('k8s');
  await s.press('enter');
  await s.waitFor(/Namespaces\[1\/\d+\]/);
  await s.press('enter');
  const screen = await s.waitFor(/Images\(k8s\.io\)[\s\S]*registry\.k8s\.io\/pause\s+3\.6/);
  assert.match(screen, /namespace: k8s\.io/);
  assert.doesNotMatch(screen, /localhost\/undock\/toolbox/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('filter, sort by size with shift+S and again to reverse', async () => {
  const s = startUndock();
  await s.waitFor('localhost/undock/toolbox');
  await s.press('S');
  let screen = await s.waitFor('SIZE↑');
  const order = (text: string) => [...text.matchAll(/^ (\S+)\s+(\S+)\s+[0-9a-f]{12}/gm)].map((m) => `${m[1]}:${m[2]}`);
  const ascending = order(screen);
  assert.ok(ascending.length >= 3);
  // The two-layer toolbox image is the largest of the seeded ones.
  assert.equal(ascending.at(-1), 'localhost/undock/toolbox:dev');
  await s.press('S');
  screen = await s.waitFor('SIZE↓');
  assert.equal(order(screen)[0], 'localhost/undock/toolbox:dev');
  await s.press('/');
  await s.type('toolbox');
  screen = await s.waitFor(/Images\(default\)\[1\/\d+\] <\/toolbox>/);
  assert.deepEqual(order(screen), ['localhost/undock/toolbox:dev']);
  await s.press('esc');
  await s.waitFor(/Images\(default\)\[\d+\] /);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('an image tagged outside undock shows up without a keypress', async () => {
  const s = startUndock();
  await s.waitFor('docker.io/library/busybox');
  ctr('default', 'images', 'tag', '--force', 'docker.io/library/busybox:latest', 'docker.io/library/busybox:e2e-live');
  try {
    await s.waitFor(/busybox\s+e2e-live/, 5_000);
    ctr('default', 'images', 'rm', 'docker.io/library/busybox:e2e-live');
    await s.waitFor(showingWithout(/Images\(default\)\[\d+\][\s\S]*docker\.io\/library\/busybox\s+latest/, 'e2e-live'), 5_000);
  } finally {
    spawnSync('ctr', ['--address', env.address, '-n', 'default', 'images', 'rm', 'docker.io/library/busybox:e2e-live']);
  }
  await s.press('q');
  await s.waitExit();
});

test('a wrong --address is named on screen, etcd still shows, and q quits cleanly', async () => {
  const s = startUndock(['--address', '/nonexistent.sock']);
  // The header says "no such socket" first, cut at the screen's width; the pane's line (indented
  // one space, under the title) has the whole message with the fix.
  const screen = await s.waitFor(/^ containerd not reachable at \/nonexistent\.sock: no such socket\b.*set --address or CONTAINERD_ADDRESS/m);
  assert.match(screen, /containerd not reachable at \/nonexistent\.sock: no such socket/);
  assert.match(screen, /set --address or CONTAINERD_ADDRESS/);
  const later = await s.waitFor(/etcd: ● 3\.4/);
  assertShowing(later, /Images\(default\)\[0\]/);
  assert.doesNotMatch(later, /Error:|\.js:\d+/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assert.equal(s.bufferType(), 'normal');
  assert.doesNotMatch(s.output(), /at .*\(.*\.js:\d+:\d+\)/);
});

test('a bad --view prints one line naming the choices and exits non-zero', () => {
  const r = spawnSync(process.execPath, [cliPath, '--view', 'nosuch'], {encoding: 'utf8'});
  assert.notEqual(r.status, 0);
  assert.equal(r.stdout, '');
  // The choices are the registry's views that `:` opens, each named once.
  assert.equal(r.stderr, `undock: --view must be one of: ${viewFlagNames.ids.join(', ')}, or an alias of one (got "nosuch")\n`);
  for (const id of ['images', 'containers', 'pods', 'keys', 'drift', 'nodes', 'contexts']) assert.ok(viewFlagNames.ids.includes(id), id);
});

test('undock version prints the daemons versions as ctr and etcdctl would', () => {
  const out = execFileSync(process.execPath, [cliPath, 'version'], {encoding: 'utf8'});
  const server = /Server:\s*\n\s*Version:\s*(\S+)/.exec(ctr('default', 'version'))?.[1];
  assert.match(out, /^undock:\n {2}Version: \d+\.\d+\.\d+/);
  assert.match(out, new RegExp(`containerd \\(${env.address.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\):\\n  Version: ${server!.replace(/\./g, '\\.')}`));
  assert.match(out, /RuntimeName: containerd\n {2}RuntimeVersion: \S+\n {2}RuntimeApiVersion: v1/);
  assert.match(out, /Server version: 3\.4\.\d+\n {2}Cluster version: 3\.4\.\d+/);
});

test('--help and --version print the usage and the version, exit 0', () => {
  const help = execFileSync(process.execPath, [cliPath, '--help'], {encoding: 'utf8'});
  assert.match(help, /--address <path>\s+containerd socket \(env CONTAINERD_ADDRESS/);
  const version = execFileSync(process.execPath, [cliPath, '--version'], {encoding: 'utf8'}).trim();
  assert.match(version, /^\d+\.\d+\.\d+$/);
});
