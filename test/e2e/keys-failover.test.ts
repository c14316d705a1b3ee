import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {Etcd3} from 'etcd3';
import {PtySession, repoRoot} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

// A three-member etcd of its own: its leader is killed while undock watches the tree.
const env = sandboxEnv();
const clusterSandbox = `${env.sandbox}-kf`;
let endpoints: string[] = [];
let session: PtySession | undefined;

function sandbox(...args: string[]): string {
  return execFileSync('bash', ['scripts/sandbox.sh', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {...process.env, UNDOCK_SANDBOX: clusterSandbox},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function etcdctl(...args: string[]): string {
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoints.join(',')}});
}

before(() => {
  sandbox('up', '--etcd-only', '--etcd-members', '3');
  endpoints = /^export ETCDCTL_ENDPOINTS=(.*)$/m.exec(sandbox('env'))![1]!.split(',');
});

after(() => {
  session?.kill();
  sandbox('down', '--purge');
});

/** Writes key i once, retrying through the election (a failed put may still have landed: create-only). */
async function writeOnce(client: Etcd3, key: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.if(key, 'Create', '==', 0).then(client.put(key).value('v')).commit();
      return;
    } catch (e) {
      if (attempt > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('killing the leader while the tree watches loses no key written after the kill', async () => {
  const s = new PtySession({args: ['--view', 'keys', '--etcd-endpoints', endpoints.join(','), '--address', '/nonexistent.sock'], cols: 140, rows: 30});
  session = s;
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[0\]/);
  const status = etcdctl('endpoint', 'status').trim().split('\n').map((l) => l.split(', '));
  const leader = status.findIndex((r) => r[4] === 'true');
  assert.ok(leader >= 0, 'a leader');
  // The member that serves the watch may be the one killed: the tree must resume where it was.
  sandbox('etcd-kill', String(leader));
  const live = endpoints.filter((_, i) => i !== leader);
  const writer = new Etcd3({hosts: live});
  try {
    for (let i = 0; i < 300; i++) await writeOnce(writer, `/failover/${String(i).padStart(4, '0')}`);
  } finally {
    writer.close();
  }
  const written = etcdctl('get', '/failover/', '--prefix', '--keys-only').split('\n').filter(Boolean).length;
  assert.equal(written, 300);
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[300\]/, 20_000);
  await s.press('enter');
  await s.waitFor(/▾ \/\s+300 keys[\s\S]*▸ failover\/\s+300 keys/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  sandbox('etcd-start', String(leader));
});
