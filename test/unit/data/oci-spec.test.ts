import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {test} from 'node:test';
import {chainIdOf, imageNameCandidates} from '../../../source/data/containerd/image-config.js';
import {buildSpec, DEFAULT_CAPABILITIES, mergeEnv, resolveUser} from '../../../source/data/containerd/oci-spec.js';
import {validateContainerName} from '../../../source/data/containerd/run-names.js';
import {UndockError} from '../../../source/data/errors.js';

interface Spec {
  ociVersion: string;
  hostname?: string;
  process: {
    terminal: boolean;
    user: {uid: number; gid: number};
    args: string[];
    env: string[];
    cwd: string;
    capabilities: {bounding: string[]; effective: string[]; permitted: string[]};
    rlimits: Array<{type: string; hard: number; soft: number}>;
    noNewPrivileges: boolean;
  };
  root: {path: string};
  mounts: Array<{destination: string; type: string; source: string; options: string[]}>;
  linux: {
    cgroupsPath: string;
    namespaces: Array<{type: string}>;
    maskedPaths: string[];
    readonlyPaths: string[];
    resources: {devices: Array<{allow: boolean; type?: string; major?: number; minor?: number; access: string}>};
  };
}

const base = {id: 'app', namespace: 'default', args: ['sh', '-c', 'echo hi'], env: ['FOO=bar'], cwd: '/srv'};
const spec = (o: Partial<Parameters<typeof buildSpec>[0]> = {}) => buildSpec({...base, hostNetwork: true, ...o}) as Spec;

const sha = (s: string) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const L0 = sha('layer zero');
const L1 = sha('layer one');
const L2 = sha('layer two');

test('chain ID of one layer is its diff ID', () => {
  assert.equal(chainIdOf([L0]), L0);
});

test('chain ID of two and three layers follows the OCI image spec', () => {
  const two = sha(`${L0} ${L1}`);
  assert.equal(chainIdOf([L0, L1]), two);
  assert.equal(chainIdOf([L0, L1, L2]), sha(`${two} ${L2}`));
  assert.throws(() => chainIdOf([]), UndockError);
});

test('chain ID matches values computed outside node with sha256sum', () => {
  const a = `sha256:${'a'.repeat(64)}`;
  const b = `sha256:${'b'.repeat(64)}`;
  const c = `sha256:${'c'.repeat(64)}`;
  // printf '%s %s' $a $b | sha256sum, then the same with that result and $c.
  assert.equal(chainIdOf([a, b]), 'sha256:ccd722928bd92476ba1745586fed6e45a102504185ad88cd89e01ff116fd146c');
  assert.equal(chainIdOf([a, b, c]), 'sha256:c1377126441fb2f5ec2c21ae2a60255331d639e830f0ee1b40a36e52d4c40588');
});

test('the process carries args, env with a default PATH, cwd and root user', () => {
  const s = spec();
  assert.equal(s.ociVersion, '1.0.2');
  assert.deepEqual(s.process.args, ['sh', '-c', 'echo hi']);
  assert.deepEqual(s.process.env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FOO=bar']);
  assert.equal(s.process.cwd, '/srv');
  assert.deepEqual(s.process.user, {uid: 0, gid: 0});
  assert.equal(s.process.terminal, false);
  assert.equal(s.process.noNewPrivileges, true);
  assert.deepEqual(s.process.rlimits, [{type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024}]);
  assert.deepEqual(s.root, {path: 'rootfs'});
  // An image's own PATH is kept, not doubled.
  assert.deepEqual(spec({env: ['PATH=/bin', 'A=1']}).process.env, ['PATH=/bin', 'A=1']);
});

test('containerd’s default capabilities, in all three sets', () => {
  const caps = spec().process.capabilities;
  assert.equal(DEFAULT_CAPABILITIES.length, 14);
  for (const set of [caps.bounding, caps.effective, caps.permitted]) {
    assert.deepEqual([...set].sort(), [...DEFAULT_CAPABILITIES].sort());
  }
  assert.ok(!caps.bounding.includes('CAP_SYS_ADMIN'));
});

test('numeric users and groups are carried; names are refused until resolved', () => {
  assert.deepEqual(spec({user: '1000'}).process.user, {uid: 1000, gid: 0});
  assert.deepEqual(spec({user: '33:44'}).process.user, {uid: 33, gid: 44});
  assert.throws(() => spec({user: 'www-data'}), (e: unknown) => e instanceof UndockError && e.kind === 'invalid');
});

test('user names resolve against the image’s passwd and group files', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33:www-data:/var/www:/bin/false\n';
  const group = 'root:x:0:\nwww-data:x:33:\nstaff:x:50:\n';
  assert.equal(resolveUser('www-data', passwd, group), '33:33');
  assert.equal(resolveUser('www-data:staff', passwd, group), '33:50');
  assert.equal(resolveUser('33', passwd, group), '33:33');
  assert.equal(resolveUser('1234:7', passwd, group), '1234:7');
  assert.equal(resolveUser('root', undefined, undefined), '0:0');
  assert.throws(() => resolveUser('nobody', passwd, group), UndockError);
  assert.throws(() => resolveUser('www-data:wheel', passwd, group), UndockError);
});

test('host networking leaves out the network namespace and binds resolv.conf and hosts', () => {
  const s = spec({hostNetwork: true});
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount']);
  const binds = s.mounts.filter((m) => m.type === 'bind');
  assert.deepEqual(
    binds.map((m) => [m.destination, m.source, m.options]),
    [
      ['/etc/resolv.conf', '/etc/resolv.conf', ['rbind', 'ro']],
      ['/etc/hosts', '/etc/hosts', ['rbind', 'ro']],
    ],
  );
});

test('without host networking there is a network namespace and no host binds', () => {
  const s = spec({hostNetwork: false, hostname: 'app'});
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['pid', 'ipc', 'uts', 'mount', 'network']);
  assert.equal(s.mounts.filter((m) => m.type === 'bind').length, 0);
  assert.equal(s.hostname, 'app');
});

test('the default mounts, masked and read-only paths', () => {
  const s = spec();
  const byDest = new Map(s.mounts.map((m) => [m.destination, m]));
  for (const [dest, type] of [
    ['/proc', 'proc'],
    ['/dev', 'tmpfs'],
    ['/dev/pts', 'devpts'],
    ['/dev/shm', 'tmpfs'],
    ['/dev/mqueue', 'mqueue'],
    ['/sys', 'sysfs'],
    ['/sys/fs/cgroup', 'cgroup'],
  ]) {
    assert.equal(byDest.get(dest!)?.type, type, dest);
  }
  assert.ok(byDest.get('/sys')!.options.includes('ro'));
  assert.ok(byDest.get('/sys/fs/cgroup')!.options.includes('ro'));
  assert.ok(s.linux.maskedPaths.includes('/proc/kcore') && s.linux.maskedPaths.includes('/sys/firmware'));
  assert.ok(s.linux.readonlyPaths.includes('/proc/sys') && s.linux.readonlyPaths.includes('/proc/sysrq-trigger'));
});

test('cgroups path and the device allow list', () => {
  assert.equal(spec().linux.cgroupsPath, '/default/app');
  assert.equal(spec({cgroupsPath: '/parent/default/app'}).linux.cgroupsPath, '/parent/default/app');
  const devices = spec().linux.resources.devices;
  assert.deepEqual(devices[0], {allow: false, access: 'rwm'});
  const allowed = devices.slice(1).map((d) => `${d.type} ${d.major}:${d.minor ?? '*'}`);
  // null, random, full, tty, zero, urandom, console, pts, ptmx
  for (const dev of ['c 1:3', 'c 1:5', 'c 1:7', 'c 1:8', 'c 1:9', 'c 5:0', 'c 5:2', 'c 136:*']) {
    assert.ok(allowed.includes(dev), dev);
  }
  assert.ok(devices.slice(1).every((d) => d.allow && d.access === 'rwm'));
});

test('env overrides replace by key, new keys append', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1'], ['A=2', 'B=3']), ['PATH=/bin', 'A=2', 'B=3']);
});

test('container names follow nerdctl’s rule', () => {
  for (const ok of ['web', 'a', 'My_app.v2-1', '0x']) assert.doesNotThrow(() => validateContainerName(ok), ok);
  for (const bad of ['', '-web', '.x', 'has space', 'a/b', 'é']) {
    assert.throws(() => validateContainerName(bad), (e: unknown) => e instanceof UndockError && e.kind === 'invalid', bad);
  }
});

test('short image references expand as Docker expands them', () => {
  assert.deepEqual(imageNameCandidates('busybox'), ['busybox', 'docker.io/library/busybox:latest']);
  assert.deepEqual(imageNameCandidates('busybox:1.36'), ['busybox:1.36', 'docker.io/library/busybox:1.36']);
  assert.deepEqual(imageNameCandidates('me/app'), ['me/app', 'docker.io/me/app:latest']);
  assert.deepEqual(imageNameCandidates('localhost/undock/toolbox:dev'), ['localhost/undock/toolbox:dev']);
  assert.deepEqual(imageNameCandidates('127.0.0.1:5000/x'), ['127.0.0.1:5000/x', '127.0.0.1:5000/x:latest']);
  assert.deepEqual(imageNameCandidates('docker.io/library/busybox:latest'), ['docker.io/library/busybox:latest']);
});
