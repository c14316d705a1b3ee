import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {etcdctlAt} from '../helpers/etcd.js';
import {assertShowing} from '../helpers/screen.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// An etcd of its own with authentication on, so the other tests' etcd stays open.
const sandbox = sideSandbox('auth');
let endpoint = '';
const etcdctl = (...args: string[]) => etcdctlAt(endpoint, ...args);
/** The key tree of this file's etcd (no containerd), with the user given on the command line only. */
const keysOf = (...args: string[]) => ['--view', 'keys', '--etcd-endpoints', endpoint, '--address', '/nonexistent.sock', ...args];
const NO_USER = {env: {ETCDCTL_USER: ''}};

before(() => {
  sandbox.run('up', '--etcd-only');
  endpoint = sandbox.endpoints()[0]!;
  etcdctl('user', 'add', 'root:s3cret');
  etcdctl('user', 'grant-role', 'root', 'root');
  etcdctl('auth', 'enable');
  etcdctl('--user', 'root:s3cret', 'put', '/auth-test/key', 'value');
});

after(() => {
  stopAll();
  sandbox.down();
});

test('a wrong etcd password is shown as an authentication failure, and undock keeps running', async () => {
  const s = startUndock(keysOf('--user', 'root:wrong'), NO_USER);
  const screen = await s.waitFor(/authentication failed|check the etcd user and password/i);
  assertShowing(screen, /etcd keys \(v3 API/, 'the key tree, with the failure in it');
  assert.doesNotMatch(screen, /at .*\.js:\d+/);
  // The header says so too (etcd's /version needs no password: it used to read "no leader").
  const header = await s.waitFor(/etcd: ✗ down: etcd refused [^\n]*authentication failed/i, 10_000);
  assert.doesNotMatch(header, /no leader/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('the right user:password opens the tree; a user alone is asked for the password, unechoed', async () => {
  const s = startUndock(keysOf('--user', 'root:s3cret'), NO_USER);
  await s.waitFor(/etcd keys \(v3 API[^\n]*\[1\]/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);

  const p = startUndock(keysOf('--user', 'root'), NO_USER);
  await p.waitFor('etcd password for root:');
  await p.type('s3cret');
  const asking = await p.waitFor('etcd password for root:');
  assert.doesNotMatch(asking, /s3cret/, 'the password is not echoed');
  await p.press('enter');
  await p.waitFor(/etcd keys \(v3 API[^\n]*\[1\]/);
  await p.press('q');
  assert.equal(await p.waitExit(), 0);
});
