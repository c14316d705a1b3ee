import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Etcd3} from 'etcd3';
import {etcdctlAt} from '../helpers/etcd.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// A three-member etcd of its own: its leader is killed while undock watches the tree.
const sandbox = sideSandbox('kf');
let endpoints: string[] = [];
const etcdctl = (...args: string[]) => etcdctlAt(endpoints, ...args);

before(() => {
  sandbox.run('up', '--etcd-only', '--etcd-members', '3');
  endpoints = sandbox.endpoints();
});

after(() => {
  stopAll();
  sandbox.down();
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
  const s = startUndock(['--view', 'keys', '--etcd-endpoints', endpoints.join(','), '--address', '/nonexistent.sock'], {cols: 140, rows: 30});
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[0\]/);
  const status = etcdctl('endpoint', 'status').trim().split('\n').map((l) => l.split(', '));
  const leader = status.findIndex((r) => r[4] === 'true');
  assert.ok(leader >= 0, 'a leader');
  // The member that serves the watch may be the one killed: the tree must resume where it was.
  sandbox.run('etcd-kill', String(leader));
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
  sandbox.run('etcd-start', String(leader));
});
