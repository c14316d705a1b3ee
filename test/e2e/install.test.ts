import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {repoRoot} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

// The package as a user gets it: `npm pack` of the built tree, installed globally into a temporary
// prefix (npm install -g) and into a project (npx undock), then run from there, far from this checkout.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-install-'));
const prefix = path.join(tmp, 'prefix');
const project = path.join(tmp, 'project');
const env = sandboxEnv();
let tarball = '';

function npm(args: string[], cwd: string) {
  // The npm cache answers what it holds; the registry the rest (dependencies of the tarball).
  const r = spawnSync('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {cwd, encoding: 'utf8', timeout: 300_000});
  assert.equal(r.status, 0, `npm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 30_000,
    // No PATH entry of this checkout: only the installed package can answer.
    env: {...process.env, PATH: `${path.join(prefix, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`, CONTAINERD_ADDRESS: env.address, ETCDCTL_ENDPOINTS: env.etcdEndpoints},
  });
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

before(() => {
  tarball = path.join(tmp, npm(['pack', '--pack-destination', tmp], repoRoot).trim().split('\n').at(-1)!);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{"name": "uses-undock", "private": true}\n');
});

after(() => fs.rmSync(tmp, {recursive: true, force: true}));

test('the packed tarball holds the bundle and no sources', () => {
  const r = spawnSync('tar', ['-tzf', tarball], {encoding: 'utf8'});
  const files = r.stdout.split('\n').filter(Boolean);
  assert.ok(files.includes('package/dist/main.js'), files.join('\n'));
  assert.ok(files.includes('package/dist/app.cjs'), files.join('\n'));
  assert.ok(files.some((f) => /^package\/dist\/app\.[0-9a-f]{16}\.v8cache$/.test(f)), files.join('\n')); // a first start's code cache
  assert.ok(files.includes('package/dist/package.json'), files.join('\n')); // dist/ holds CommonJS
  assert.deepEqual(
    files.filter((f) => /\.(ts|tsx|proto|map)$/.test(f)),
    [],
    'sources, .proto files and source maps stay out of the package',
  );
});

test('npm install -g into a prefix: undock --version, --help and `undock version` against the daemons', () => {
  npm(['install', '-g', '--prefix', prefix, tarball], tmp);
  const bin = path.join(prefix, 'bin', 'undock');
  assert.ok(fs.existsSync(bin), `${bin} was not linked`);
  const version = run('undock', ['--version'], tmp);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version);
  const help = run('undock', ['--help'], tmp);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--view/);
  assert.match(help.stdout, /containers/);
  // A real round trip through the installed bundle's descriptors: containerd, CRI and etcd answer.
  const daemons = run('undock', ['version'], tmp);
  assert.equal(daemons.status, 0, daemons.stderr);
  assert.match(daemons.stdout, /containerd \(.*\):\n {2}Version: 1\.6\./);
  assert.match(daemons.stdout, /CRI runtime \(.*\):\n {2}RuntimeName: containerd/);
  assert.match(daemons.stdout, /etcd \(.*\):\n {2}Server version: 3\./);
});

test('npx undock in a project that depends on it', () => {
  npm(['install', tarball], project);
  const r = run('npx', ['--no-install', 'undock', '--version'], project);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const notty = run('npx', ['--no-install', 'undock'], project);
  assert.equal(notty.status, 2, 'without a terminal it refuses, in one line');
  assert.match(notty.stderr, /^undock: the terminal UI needs a terminal/);
});
