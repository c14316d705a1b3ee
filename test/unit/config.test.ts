import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildConfig, ConfigError} from '../../source/config.js';
import {viewCommandNames, viewFlagNames} from '../../source/views/registry.js';

test('flags win over the standard environment variables, which win over defaults', () => {
  const env = {CONTAINERD_ADDRESS: '/env.sock', CONTAINERD_NAMESPACE: 'k8s.io', ETCDCTL_ENDPOINTS: 'a:1,b:2'};
  const fromEnv = buildConfig({}, env);
  assert.equal(fromEnv.address, '/env.sock');
  assert.equal(fromEnv.runtimeEndpoint, '/env.sock');
  assert.equal(fromEnv.namespace, 'k8s.io');
  assert.deepEqual(fromEnv.etcdEndpoints, ['a:1', 'b:2']);
  const fromFlags = buildConfig({address: '/flag.sock', namespace: 'x', runtimeEndpoint: '/cri.sock'}, env);
  assert.equal(fromFlags.address, '/flag.sock');
  assert.equal(fromFlags.runtimeEndpoint, '/cri.sock');
  assert.equal(fromFlags.namespace, 'x');
  const defaults = buildConfig({}, {});
  assert.equal(defaults.address, '/run/containerd/containerd.sock');
  assert.equal(defaults.namespace, 'default');
  assert.deepEqual(defaults.etcdEndpoints, ['127.0.0.1:2379']);
  assert.equal(defaults.refreshMs, 2000);
  assert.ok(Object.isFrozen(defaults));
});

test('a bad --view names the valid choices', () => {
  assert.throws(
    () => buildConfig({view: 'nosuch'}, {}, viewFlagNames),
    (e: unknown) => e instanceof ConfigError && /images, containers, pods, namespaces, events/.test(e.message) && /nosuch/.test(e.message),
  );
  assert.equal(buildConfig({view: 'ns'}, {}, viewFlagNames).view, 'namespaces');
});

test('--view accepts every name the command bar accepts, and names no drill-down-only view', () => {
  for (const name of viewCommandNames) assert.ok(buildConfig({view: name}, {}, viewFlagNames).view, name);
  for (const name of ['kv', 'etcd', 'keys2', 'co', 'po']) assert.ok(viewCommandNames.includes(name), name);
  assert.equal(buildConfig({view: 'kv'}, {}, viewFlagNames).view, 'keys');
  assert.equal(buildConfig({view: 'keys2'}, {}, viewFlagNames).view, 'keys2');
  for (const name of ['processes', 'logs', 'describe', 'help']) assert.throws(() => buildConfig({view: name}, {}, viewFlagNames), ConfigError, name);
});

test('a bad --refresh is refused', () => {
  assert.throws(() => buildConfig({refresh: 0}, {}), ConfigError);
});
