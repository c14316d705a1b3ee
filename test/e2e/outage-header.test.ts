import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {after, test, type TestContext} from 'node:test';
import {repoRoot, type PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// The header never lies about an outage: real daemons killed under a running undock.
const env = sandboxEnv();
const etcdOnly = sideSandbox('hdr');
let etcdUp = false;

after(() => {
  stopAll();
  if (etcdUp) etcdOnly.down();
});

/** Milliseconds from now until the screen shows `what`. */
async function timeUntil(s: PtySession, what: RegExp | ((screen: string) => boolean), ms = 10_000): Promise<{ms: number; screen: string}> {
  const t0 = Date.now();
  const screen = await s.waitFor(what, ms);
  return {ms: Date.now() - t0, screen};
}

const header = (screen: string) => screen.split('\n').slice(0, 4).join('\n');

test('etcd killed with the key tree open: the header says etcd is down at once, and comes back by itself', async (t: TestContext) => {
  etcdOnly.run('up', '--etcd-only');
  etcdUp = true;
  const endpoint = etcdOnly.endpoints()[0]!;
  const s = startUndock(['--view', 'keys', '--etcd-endpoints', endpoint, '--address', env.address], {cols: 160, rows: 30});
  await s.waitFor(/etcd: ● .* leader \w+ rev \d+/);
  await s.waitFor(/etcd keys \(v3 API, rev \d+\)/);
  etcdOnly.run('etcd-kill', '0');
  const down = await timeUntil(s, /etcd: ✗ down: etcd not reachable/, 5_000);
  t.diagnostic(`etcd killed: header down ${down.ms} ms after the kill returned`);
  assert.ok(down.ms < 1_000, `the header knew in ${down.ms} ms`);
  assert.doesNotMatch(header(down.screen), /circuit breaker|Resolution note|null/);
  // It stays down (not flipped back to up by a probe that was out) while etcd is gone.
  await new Promise((r) => setTimeout(r, 2_500));
  assert.match(header(s.text()), /etcd: ✗ down/);
  etcdOnly.run('etcd-start', '0');
  const back = await timeUntil(s, /etcd: ● .* leader \w+ rev \d+/, 15_000);
  t.diagnostic(`etcd started again: header up ${back.ms} ms after etcd answered`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('containerd killed: containerd and CRI on its socket are down in the header together, with words, not grpc-js notes', async (t: TestContext) => {
  const s = startUndock(['--view', 'containers', '--refresh', '30'], {cols: 160, rows: 30});
  await s.waitFor(/containerd: ● [\s\S]*CRI: ● /);
  await s.waitFor(/ web .*running/);
  const pid = Number(fs.readFileSync(path.join(env.sandbox, 'containerd.pid'), 'utf8'));
  process.kill(pid, 'SIGKILL');
  const down = await timeUntil(s, /containerd: ✗ down: [^\n]+\nCRI: ✗ down: CRI runtime/, 5_000);
  t.diagnostic(`containerd killed: containerd and CRI down in the header ${down.ms} ms after the kill`);
  assert.ok(down.ms < 1_500, `${down.ms} ms`);
  assert.doesNotMatch(header(down.screen), /Resolution note|null\.|Protocol error \(/);
  execFileSync('bash', ['scripts/sandbox.sh', 'up'], {cwd: repoRoot, stdio: 'ignore'});
  const back = await timeUntil(s, /containerd: ● [^\n]+\nCRI: ● /, 15_000);
  t.diagnostic(`containerd back: both up ${back.ms} ms after the sandbox answered again`);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('an etcd endpoint that accepts TCP and never answers says so in the key pane within the first call deadline', async (t: TestContext) => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => sockets.add(c));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const s = startUndock(['--view', 'keys', '--etcd-endpoints', `127.0.0.1:${port}`, '--address', env.address], {cols: 160, rows: 30});
    const t0 = Date.now();
    await s.waitFor(/etcd keys/);
    const said = await timeUntil(s, /accepted the connection but never answered/, 10_000);
    t.diagnostic(`silent etcd endpoint: said so ${Date.now() - t0} ms after the tree showed`);
    assert.ok(Date.now() - t0 < 7_000);
    assert.match(said.screen, /etcd: ✗ down/);
    await s.press('q');
    assert.equal(await s.waitExit(), 0);
  } finally {
    for (const c of sockets) c.destroy();
    server.close();
  }
});
