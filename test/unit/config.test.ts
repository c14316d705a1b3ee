import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildConfig, ConfigError} from '../../source/config.js';

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
  assert.throws(() => buildConfig({view: 'nosuch'}, {}), (e: unknown) => e instanceof ConfigError && /images, containers, pods, namespaces, events/.test(e.message) && /nosuch/.test(e.message));
  assert.equal(buildConfig({view: 'ns'}, {}).view, 'namespaces');
});

test('a bad --refresh is refused', () => {
  assert.throws(() => buildConfig({refresh: 0}, {}), ConfigError);
});
