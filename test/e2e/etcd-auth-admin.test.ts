import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {etcdctlAt} from '../helpers/etcd.js';
import type {PtySession} from '../helpers/pty.js';
import {sideSandbox} from '../helpers/side-sandbox.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// An etcd of its own: users, roles and auth enable must not touch the test run's etcd.
const sandbox = sideSandbox('ua');
let endpoint = '';
const etcdctl = (...args: string[]) => etcdctlAt(endpoint, ...args);
const NO_USER = {env: {ETCDCTL_USER: ''}, cols: 180, rows: 30};
const SLOW = 30_000;

function undock(view: string, ...args: string[]): PtySession {
  return startUndock(['--view', view, '--etcd-endpoints', endpoint, '--address', '/nonexistent.sock', ...args], NO_USER);
}

/** Fills a form field by field (enter moves on; on the last it submits). */
async function fillForm(s: PtySession, ...values: string[]): Promise<void> {
  for (const v of values) {
    await s.type(v);
    await s.press('enter');
  }
}

async function command(s: PtySession, line: string): Promise<void> {
  await s.press(':');
  await s.type(line);
  await s.press('enter');
}

async function filter(s: PtySession, text: string): Promise<void> {
  await s.press('/');
  await s.type(text);
  await s.press('enter');
}

before(() => {
  sandbox.run('up', '--etcd-only');
  endpoint = sandbox.endpoints()[0]!;
});

after(() => {
  stopAll();
  // auth left on by a failed test would not stop `down`; turn it off first when it is on
  try {
    etcdctl('--user', 'root:s3cret', 'auth', 'disable');
  } catch {
    // off already
  }
  sandbox.down();
});

test('users and roles: add, grant and revoke a role and a key-range permission, delete; each checked with etcdctl', {timeout: 240_000}, async () => {
  const s = undock('users');
  await s.waitFor(/Users\[0\] auth disabled/, SLOW);
  // No root user: auth enable is refused with what to do, and nothing is sent.
  await s.press('e');
  await s.waitFor(/auth enable refused: there is no root user/, SLOW);

  await s.press('a');
  await s.waitFor('Add an etcd user', SLOW);
  await s.type('root');
  await s.press('enter');
  await s.type('s3cret');
  const form = await s.waitFor('******', SLOW);
  assert.doesNotMatch(form, /s3cret/, 'the password is drawn as stars');
  await s.press('enter');
  await s.waitFor(/added user root\b/, SLOW);
  assert.match(etcdctl('user', 'list'), /^root$/m);

  await s.press('r');
  await s.waitFor('Grant a role to root', SLOW);
  await fillForm(s, 'root');
  await s.waitFor('granted role root to root', SLOW);
  assert.match(etcdctl('user', 'get', 'root'), /Roles: root/);

  await command(s, 'roles');
  await s.waitFor(/Roles\[\d+\] auth disabled/, SLOW);
  await s.press('a');
  await s.waitFor('Add an etcd role', SLOW);
  await fillForm(s, 'reader');
  await s.waitFor('added role reader', SLOW);
  assert.match(etcdctl('role', 'list'), /^reader$/m);
  await filter(s, 'reader');
  await s.waitFor(/Roles\[1\/\d+\]/, SLOW);
  await s.press('enter');
  await s.waitFor(/Permissions\(role reader\)\[0\]/, SLOW);
  await s.press('a');
  await s.waitFor('Grant a permission to role reader', SLOW);
  // type is prefilled "read", match "prefix": only the key is typed
  await fillForm(s, '', '/app/', '', '');
  await s.waitFor('granted read on every key starting with /app/ to role reader', SLOW);
  assert.match(etcdctl('role', 'get', 'reader'), /KV Read:\s*\n\s*\[\/app\/, \/app0\) \(prefix \/app\/\)/);
  await s.waitFor(/Permissions\(role reader\)\[1\][\s\S]*read\s+\/app\/\s+\/app0\s+every key starting with \/app\//, SLOW);
  await s.press('ctrl+d');
  await s.waitFor(/Revoke a permission of role reader\?[\s\S]*read on every key starting with \/app\//, SLOW);
  await s.press('y');
  await s.waitFor('revoked read on every key starting with /app/ from role reader', SLOW);
  assert.doesNotMatch(etcdctl('role', 'get', 'reader'), /\/app\//);

  await command(s, 'users');
  await s.waitFor(/Users\[1\]/, SLOW);
  await s.press('a');
  await s.waitFor('Add an etcd user', SLOW);
  await fillForm(s, 'alice', 'pw');
  await s.waitFor(/Users\[2\]/, SLOW);
  await filter(s, 'alice');
  await s.waitFor(/Users\[1\/2\]/, SLOW);
  await s.press('r');
  await s.waitFor('Grant a role to alice', SLOW);
  await fillForm(s, 'reader');
  await s.waitFor('granted role reader to alice', SLOW);
  assert.match(etcdctl('user', 'get', 'alice'), /Roles: reader/);
  await s.press('v');
  await s.waitFor('Revoke a role from alice', SLOW);
  // the one role is prefilled
  await s.press('enter');
  await s.waitFor('Revoke role reader from alice?', SLOW);
  await s.press('y');
  await s.waitFor('revoked role reader from alice', SLOW);
  assert.doesNotMatch(etcdctl('user', 'get', 'alice'), /reader/);
  await s.press('ctrl+d');
  await s.waitFor('Delete user alice?', SLOW);
  await s.press('y');
  await s.waitFor('deleted user alice', SLOW);
  assert.doesNotMatch(etcdctl('user', 'list'), /alice/);

  await command(s, 'roles');
  await filter(s, 'reader');
  await s.waitFor(/Roles\[1\/\d+\]/, SLOW);
  await s.press('ctrl+d');
  await s.waitFor(/Delete role reader\?[\s\S]*no user has it/, SLOW);
  await s.press('y');
  await s.waitFor('deleted role reader', SLOW);
  assert.doesNotMatch(etcdctl('role', 'list'), /reader/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('auth enable warns about kube-apiserver and this undock; auth disable from an undock logged in as root', {timeout: 180_000}, async () => {
  const users = etcdctl('user', 'list');
  if (!/^root$/m.test(users)) {
    etcdctl('user', 'add', 'root:s3cret');
    etcdctl('user', 'grant-role', 'root', 'root');
  }
  etcdctl('put', '/auth-admin/key', 'v');
  const s = undock('users');
  await s.waitFor(/Users\[1\] auth disabled/, SLOW);
  await s.press('e');
  const dialog = await s.waitFor('Enable etcd authentication?', SLOW);
  assert.match(dialog, /a kube-apiserver started without etcd credentials loses etcd/);
  assert.match(dialog, /this undock connects without a user: etcd refuses it too/);
  await s.press('y');
  await s.waitFor('authentication enabled', SLOW);
  assert.throws(() => etcdctl('get', '/auth-admin/key'), /user name is empty|permission denied|authentication/i, 'etcd refuses a client without credentials');
  assert.match(etcdctl('--user', 'root:s3cret', 'get', '/auth-admin/key'), /^v$/m);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);

  const root = undock('users', '--user', 'root:s3cret');
  await root.waitFor(/Users\[1\] auth ENABLED/, SLOW);
  await root.press('x');
  await root.waitFor('Disable etcd authentication?', SLOW);
  await root.press('y');
  await root.waitFor('authentication disabled', SLOW);
  assert.match(etcdctl('get', '/auth-admin/key'), /^v$/m, 'no credentials needed again');
  await root.press('q');
  assert.equal(await root.waitExit(), 0);
});
