import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import type {PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// The test sandbox's etcd runs without --enable-v2; an etcd of its own serves the v2 API.
const env = sandboxEnv();
const sandbox = sideSandbox('v2');
let endpoint = '';

async function openKeys2(s: PtySession): Promise<void> {
  await s.waitFor('Images(default)');
  await s.press(':');
  await s.type('keys2');
  await s.press('enter');
}

before(async () => {
  sandbox.run('up', '--etcd-only', '--etcd-v2');
  endpoint = sandbox.endpoints()[0]!;
  // What etcdctl set (v2) would write: PUT /v2/keys/<key>.
  for (const [key, value] of [['legacy/app/config', '{"mode":"v2"}'], ['legacy/flag', 'on']]) {
    const res = await fetch(`${endpoint}/v2/keys/${key}`, {method: 'PUT', body: new URLSearchParams({value})});
    assert.ok(res.ok, `v2 put ${key}: HTTP ${res.status}`);
  }
});

after(() => {
  stopAll();
  sandbox.down();
});

test(':keys2 browses the v2 keyspace read-only in the same tree', async () => {
  const s = startUndock(['--view', 'images', '--etcd-endpoints', endpoint]);
  await openKeys2(s);
  await s.waitFor(/etcd keys \(v2 API, read-only\) \[2\][\s\S]*▸ \//);
  await s.press('enter');
  await s.waitFor(/▾ \/[\s\S]*▸ legacy\/\s+2 keys/);
  await s.press('j');
  await s.press('enter');
  await s.waitFor(/▸ app\/\s+1 keys[\s\S]*flag/);
  await s.press('j');
  await s.press('j');
  const preview = await s.waitFor(/\/legacy\/flag[\s\S]*2 B · text/);
  assert.match(preview, /^.*\bon\s*$/m);
  await s.press('ctrl+d');
  await s.waitFor('the v2 keyspace is read-only in undock');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test(':keys2 on a server without the v2 API says so', async () => {
  const s = startUndock(['--view', 'images', '--etcd-endpoints', env.etcdEndpoints]);
  await openKeys2(s);
  await s.waitFor(/has no v2 API: etcd 3\.4 serves the v2 API only when started with --enable-v2/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});
