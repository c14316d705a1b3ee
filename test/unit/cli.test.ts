import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import {test} from 'node:test';
import {buildConfig, ConfigError} from '../../source/config.js';
import {cliPath, repoRoot} from '../helpers/pty.js';

// The built CLI with bad command lines: one line on stderr naming the flag and the expected form, exit 2.
function undock(...args: string[]) {
  assert.ok(fs.existsSync(cliPath), `${cliPath} is built (npm run build)`);
  const r = spawnSync(process.execPath, [cliPath, ...args], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, CONTAINERD_NAMESPACE: '', ETCDCTL_USER: ''}, timeout: 10_000});
  return {code: r.status, stdout: r.stdout, stderr: r.stderr};
}

const BAD: Array<[args: string[], says: RegExp]> = [
  [['-n', 'a', '-n', 'b'], /^undock: -n\/--namespace is given 2 times: give it once$/],
  [['--refresh', '1e12'], /^undock: --refresh takes seconds from 0\.5 to 86400 \(a day\), e\.g\. --refresh 2 \(got "1e12"\)$/],
  [['--refresh', '0.001'], /--refresh takes seconds from 0\.5 to 86400 .*\(got "0\.001"\)$/],
  [['--refresh', 'abc'], /--refresh takes seconds from 0\.5 to 86400 .*\(got "abc"\)$/],
  [['--address'], /^undock: --address needs a value \(e\.g\. --address \S+\)$/],
  [['--refresh'], /^undock: --refresh needs a value/],
  [['--user'], /^undock: --user needs a value/],
  [['-n'], /^undock: -n\/--namespace needs a value/],
  [['--address', '--readonly'], /^undock: --address needs a value/],
  [['--address='], /^undock: --address needs a value/],
  [['-n', '\x1b]0;X\x07'], /^undock: --namespace: "\\u001b\]0;X\\u0007" is not a containerd namespace: letters and digits with \. _ - between them/],
  [['--readonly=yes'], /^undock: --readonly takes no value$/],
  [['--bogus'], /^undock: unknown flag --bogus \(see undock --help\)$/],
  [['--log-lines', '1e9'], /^undock: --log-lines takes a whole number of lines from 1 to 1000000/],
  [['--log-tail', '2.5'], /^undock: --log-tail takes a whole number/],
  [['--password-file', '/nonexistent'], /^undock: --password-file needs an etcd user/],
  [['--user', 'root', '--password-file', '/nonexistent/pw', 'version'], /^undock: cannot read --password-file \/nonexistent\/pw: ENOENT$/],
];

for (const [args, says] of BAD) {
  test(`undock ${JSON.stringify(args).slice(1, -1)}: one line, exit 2`, () => {
    const r = undock(...args);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `one line, no stack trace:\n${r.stderr}`);
    assert.match(lines[0]!, says);
    assert.doesNotMatch(r.stderr, /\x1b/, 'no control character reaches the terminal');
  });
}

test('--help says passwords on the command line are visible to other users, and how else to give one', () => {
  const r = undock('--help');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--password-file <file>/);
  assert.match(r.stdout, /a password on the command line\s+is visible to every user of this machine/);
  assert.match(r.stdout, /ETCDCTL_PASSWORD/);
});

test('--user name:password works but warns that the password is visible to other users', () => {
  const r = undock('--user', 'root:pw', '--etcd-endpoints', '127.0.0.1:1', '--address', '/nonexistent.sock', 'version');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^undock: warning: a password given with --user name:password is visible to every user of this machine \(ps, \/proc\/PID\/cmdline\)/);
  assert.doesNotMatch(r.stderr + r.stdout, /:pw\b/);
});

test('config: --refresh within half a second and a day, the namespace by containerd\'s rule wherever it comes from', () => {
  assert.equal(buildConfig({refresh: 0.5}, {}).refreshMs, 500);
  assert.equal(buildConfig({refresh: 86_400}, {}).refreshMs, 86_400_000);
  for (const refresh of [0, 0.4, 86_401, 1e12, Number.NaN]) assert.throws(() => buildConfig({refresh}, {}), ConfigError, String(refresh));
  assert.equal(buildConfig({namespace: 'k8s.io'}, {}).namespace, 'k8s.io');
  for (const bad of ['a\x1bb', 'a b', '-x', 'x.', 'a'.repeat(77), 'ü']) assert.throws(() => buildConfig({namespace: bad}, {}), ConfigError, bad);
  assert.throws(() => buildConfig({}, {CONTAINERD_NAMESPACE: 'x\x07'}), (e: unknown) => e instanceof ConfigError && /^CONTAINERD_NAMESPACE: /.test(e.message));
});
