import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {buildConfig, ConfigError} from '../../source/config.js';
import {ConfigFileError, defaultConfigPath, parseConfigText, readConfigFile, type ConfigFile} from '../../source/config-file.js';
import {configReport} from '../../source/config-command.js';
import {viewFlagNames} from '../../source/views/registry.js';

const GOOD = `
currentContext: worker
startView: pods
aliases:
  cs: containers
contexts:
  - name: local
    address: /run/containerd/containerd.sock
  - name: worker
    address: /tmp/worker.sock
    namespace: k8s.io
    runtimeEndpoint: /tmp/cri.sock
    etcd:
      endpoints: [10.0.0.1:2379, 10.0.0.2:2379]
      cacert: /etc/etcd/ca.pem
      user: "root:hunter2"
    readonly: true
    node: worker-1
`;

const file = (text: string): ConfigFile => ({path: '/x/config.yaml', shownPath: '~/config.yaml', data: parseConfigText(text, '~/config.yaml')});

test('the default path follows XDG_CONFIG_HOME, else ~/.config', () => {
  assert.equal(defaultConfigPath({XDG_CONFIG_HOME: '/xdg', HOME: '/home/u'}), '/xdg/undock/config.yaml');
  assert.equal(defaultConfigPath({HOME: '/home/u'}), '/home/u/.config/undock/config.yaml');
  // The spec says a relative XDG_CONFIG_HOME is ignored.
  assert.equal(defaultConfigPath({XDG_CONFIG_HOME: 'rel', HOME: '/home/u'}), '/home/u/.config/undock/config.yaml');
});

test('a context of the file is used, and flags and variables win over it', () => {
  const f = file(GOOD);
  const c = buildConfig({}, {}, viewFlagNames, {file: f});
  assert.equal(c.context, 'worker');
  assert.deepEqual(c.contexts, ['local', 'worker']);
  assert.equal(c.address, '/tmp/worker.sock');
  assert.equal(c.namespace, 'k8s.io');
  assert.equal(c.runtimeEndpoint, '/tmp/cri.sock');
  assert.deepEqual(c.etcdEndpoints, ['10.0.0.1:2379', '10.0.0.2:2379']);
  assert.equal(c.etcdCacert, '/etc/etcd/ca.pem');
  assert.equal(c.readonly, true);
  assert.equal(c.node, 'worker-1');
  assert.equal(c.view, 'pods');
  assert.equal(c.origins.address, 'context worker (~/config.yaml)');
  assert.equal(c.origins.view, 'startView (~/config.yaml)');

  const env = buildConfig({}, {CONTAINERD_ADDRESS: '/env.sock'}, viewFlagNames, {file: f});
  assert.equal(env.address, '/env.sock');
  assert.equal(env.origins.address, 'env CONTAINERD_ADDRESS');
  const flags = buildConfig({address: '/flag.sock', context: 'local', view: 'images'}, {CONTAINERD_ADDRESS: '/env.sock'}, viewFlagNames, {file: f});
  assert.equal(flags.address, '/flag.sock');
  assert.equal(flags.origins.address, 'flag --address');
  assert.equal(flags.context, 'local');
  assert.equal(flags.readonly, false);
  assert.equal(flags.view, 'images');
});

test('a switch takes the context as written, keeping only --readonly of the start', () => {
  const f = file(GOOD);
  const c = buildConfig({context: 'local', readonly: true, address: '/flag.sock'}, {CONTAINERD_ADDRESS: '/env.sock'}, undefined, {file: f, switching: true});
  assert.equal(c.address, '/run/containerd/containerd.sock');
  assert.equal(c.readonly, true);
});

test('an unknown --context names the contexts there are', () => {
  assert.throws(() => buildConfig({context: 'nope'}, {}, undefined, {file: file(GOOD)}), (e: unknown) => e instanceof ConfigError && /"nope".*local, worker/.test(e.message));
  assert.throws(() => buildConfig({context: 'nope'}, {}), (e: unknown) => e instanceof ConfigError && /no config file/.test(e.message));
});

test('a broken file is one line naming the file, the line and the problem', () => {
  const cases: Array<[string, RegExp]> = [
    ['contexts:\n  - name: a\n    adress: /x\n', /^~\/c\.yaml:3:\d+: contexts\[0\]\.adress: unknown setting$/],
    ['contexts:\n  - name: a\n    readonly: maybe\n', /^~\/c\.yaml:3:\d+: contexts\[0\]\.readonly: expected boolean, got "maybe"$/],
    ['contexts:\n  - name: a\n   address: [\n', /^~\/c\.yaml:3:\d+: /],
    ['contexts:\n  - name: a\n  - name: a\n', /^~\/c\.yaml:3:\d+: context "a" is defined twice$/],
    ['currentContext: b\ncontexts:\n  - name: a\n', /^~\/c\.yaml:1:\d+: currentContext "b" is not one of the contexts \(a\)$/],
    ['contexts:\n  - name: "a b"\n', /^~\/c\.yaml:2:\d+: contexts\[0\]\.name: may hold only/],
    ['contexts: 3\n', /^~\/c\.yaml:1:\d+: contexts: expected Array, got 3$/],
    ['a: 1\na: 2\n', /^~\/c\.yaml:2:\d+: /],
  ];
  for (const [text, want] of cases) {
    assert.throws(() => parseConfigText(text, '~/c.yaml'), (e: unknown) => e instanceof ConfigFileError && want.test(e.message) && !e.message.includes('\n'), text);
  }
});

test('an absent default file is no file; an absent --config file is an error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-cfg-'));
  try {
    assert.equal(readConfigFile(undefined, {XDG_CONFIG_HOME: dir}), undefined);
    assert.throws(() => readConfigFile(path.join(dir, 'none.yaml'), {}), (e: unknown) => e instanceof ConfigFileError && /no such file \(given by --config\)/.test(e.message));
    fs.mkdirSync(path.join(dir, 'undock'));
    fs.writeFileSync(path.join(dir, 'undock', 'config.yaml'), GOOD);
    assert.equal(readConfigFile(undefined, {XDG_CONFIG_HOME: dir})?.data.contexts.length, 2);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
});

test('undock config shows where each value came from and never a password', () => {
  const c = buildConfig({namespace: 'default'}, {ETCDCTL_ENDPOINTS: 'e:1'}, viewFlagNames, {file: file(GOOD)});
  const out = configReport(c);
  assert.match(out, /^address +\/tmp\/worker\.sock +\(context worker \(~\/config\.yaml\)\)$/m);
  assert.match(out, /^namespace +default +\(flag --namespace\)$/m);
  assert.match(out, /^etcd-endpoints +e:1 +\(env ETCDCTL_ENDPOINTS\)$/m);
  assert.match(out, /^user +root:<redacted>/m);
  assert.match(out, /^alias :cs +:containers/m);
  assert.doesNotMatch(out, /hunter2/);
});
