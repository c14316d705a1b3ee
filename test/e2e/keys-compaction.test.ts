import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {Etcd3} from 'etcd3';
import {etcdctl} from '../helpers/etcd.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {startUndock, stopAll} from '../helpers/undock.js';

const env = sandboxEnv();
const prefix = `/undock-e2e-compact-${process.pid}/`;
const client = new Etcd3({hosts: env.etcdEndpoints.split(',')});

after(async () => {
  stopAll();
  await client.delete().prefix(prefix);
  client.close();
});

test('a watch whose revision was compacted reloads the tree at the current revision and says so', async () => {
  await client.put(`${prefix}first`).value('1');
  const s = startUndock(['--view', 'keys'], {cols: 140, rows: 30});
  await s.waitFor(/etcd keys \(v3 API, rev \d+\) \[\d+\]/);
  // undock stops reading: its watch falls behind while keys are written, etcd parks it as a slow
  // watcher, and a compaction past its revision makes etcd cancel it with the compacted revision.
  process.kill(s.proc.pid, 'SIGSTOP');
  try {
    for (let batch = 0; batch < 40; batch++) {
      const txn = client.namespace(prefix);
      await Promise.all(Array.from({length: 250}, (_, i) => txn.put(`k-${batch}-${i}`).value('x'.repeat(64))));
    }
    const revision = JSON.parse(etcdctl('get', `${prefix}first`, '-w', 'json')).header.revision as number;
    etcdctl('compaction', String(revision));
  } finally {
    process.kill(s.proc.pid, 'SIGCONT');
  }
  const screen = await s.waitFor(/the watch revision was compacted[^\n]*reloaded/, 20_000);
  // After the reload the tree holds every key written while it was not looking.
  const total = etcdctl('get', '', '--prefix', '--keys-only').split('\n').filter(Boolean).length;
  await s.waitFor(new RegExp(`etcd keys \\(v3 API, rev \\d+\\) \\[${total}\\]`), 10_000);
  assert.match(screen, /compacted \(at \d+\)/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
