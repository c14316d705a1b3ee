import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {after, before, test} from 'node:test';
import {PtySession, repoRoot} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

// An etcd of its own with authentication on, so the other tests' etcd stays open.
const env = sandboxEnv();
const authSandbox = `${env.sandbox}-auth`;
let endpoint = '';
const sessions: PtySession[] = [];

function sandbox(...args: string[]): string {
  return execFileSync('bash', ['scripts/sandbox.sh', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {...process.env, UNDOCK_SANDBOX: authSandbox},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function etcdctl(...args: string[]): string {
  // etcdctl 3.4 refuses a flag that a variable also sets: the endpoint goes in the variable.
  return execFileSync('etcdctl', args, {encoding: 'utf8', env: {...process.env, ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: endpoint}});
}

function start(args: string[]): PtySession {
  const s = new PtySession({args: ['--view', 'keys', '--etcd-endpoints', endpoint, '--address', '/nonexistent.sock', ...args], env: {ETCDCTL_USER: ''}});
  sessions.push(s);
  return s;
}

before(() => {
  sandbox('up', '--etcd-only');
  endpoint = /^export ETCDCTL_ENDPOINTS=(.*)$/m.exec(sandbox('env'))![1]!.split(',')[0]!;
  etcdctl('user', 'add', 'root:s3cret');
  etcdctl('user', 'grant-role', 'root', 'root');
  etcdctl('auth', 'enable');
  etcdctl('--user', 'root:s3cret', 'put', '/auth-test/key', 'value');
});

after(() => {
  sessions.forEach((s) => s.kill());
  sandbox('down', '--purge');
});

test('a wrong etcd password is shown as an authentication failure, and undock keeps running', async () => {
  const s = start(['--user', 'root:wrong']);
  const screen = await s.waitFor(/authentication failed|check the etcd user and password/i);
  assert.doesNotMatch(screen, /at .*\.js:\d+/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
});

test('the right user:password opens the tree; a user alone is asked for the password, unechoed', async () => {
  const s = start(['--user', 'root:s3cret']);
  await s.waitFor(/etcd keys \(v3 API[^\n]*\[1\]/);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);

  const p = start(['--user', 'root']);
  await p.waitFor('etcd password for root:');
  await p.type('s3cret');
  assert.doesNotMatch(p.text(), /s3cret/, 'the password is not echoed');
  await p.press('enter');
  await p.waitFor(/etcd keys \(v3 API[^\n]*\[1\]/);
  await p.press('q');
  assert.equal(await p.waitExit(), 0);
});
