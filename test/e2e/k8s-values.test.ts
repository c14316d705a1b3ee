import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, test} from 'node:test';
import {encodeK8sObject} from '../../source/data/k8s/object.js';
import {closeEtcdClient, etcdctlEnv, etcdGet, putKeys, selectedTreeLine, treeRowName} from '../helpers/etcd.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Kubernetes values in the key preview of the built CLI: a Secret masked until x, a value
// encrypted at rest, under this file's own prefix in the sandbox's etcd (deleted at the end).
const prefix = `/undock-e2e-k8s-${process.pid}/`;
const KEYS = ['--view', 'keys'];
const SIZE = {cols: 160, rows: 40};
const TOKEN = 'e2e-t0ken-value';

after(() => {
  stopAll();
  spawnSync('etcdctl', ['del', '--prefix', prefix], {env: etcdctlEnv()});
  closeEtcdClient();
});

test('a stored Secret previews masked; x reveals its data decoded, x masks it again; an encrypted value names its key', async () => {
  const secretKey = `${prefix}secrets/shop/db`;
  const encKey = `${prefix}secrets/shop/enc`;
  const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db', namespace: 'shop', uid: 'e2e-uid'}, type: 'Opaque', data: {password: Buffer.from(TOKEN).toString('base64')}};
  const encrypted = Buffer.concat([Buffer.from('k8s:enc:aescbc:v1:key1:'), Buffer.alloc(64, 7)]);
  await putKeys([
    [secretKey, encodeK8sObject(secret)],
    [encKey, encrypted],
  ]);
  assert.ok(etcdGet(secretKey)!.value.subarray(0, 4).equals(Buffer.from('k8s\0')), 'etcd holds the protobuf');

  const s = startUndock(KEYS, SIZE);
  await s.waitFor(/etcd keys/, 30_000); // the CLI's start: slow on a loaded machine
  await s.press('/');
  await s.type(secretKey);
  await s.press('enter');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === secretKey);
  const masked = await s.waitFor(/data masked: x reveals it[\s\S]*password: •+ \(15 bytes\)/);
  assert.ok(!masked.includes(TOKEN));
  await s.press('x');
  const shown = await s.waitFor(new RegExp(`password: ${TOKEN}`));
  assert.match(shown, /data decoded from base64: x masks it again/);
  await s.press('x');
  await s.waitFor((text) => text.includes('data masked: x reveals it') && !text.includes(TOKEN));

  await s.press('esc');
  await s.press('/');
  await s.type(encKey);
  await s.press('enter');
  await s.waitFor(() => treeRowName(selectedTreeLine(s)?.text ?? '') === encKey);
  await s.waitFor(new RegExp(`encrypted at rest \\(aescbc, key key1\\), ${encrypted.length} bytes`));
  await s.press(':');
  await s.type('messages');
  await s.press('enter');
  const list = await s.waitFor(/Messages \[/);
  assert.ok(!list.includes(TOKEN), 'the revealed data is in no message');
  await s.press('q');
  await s.waitExit();
});
