import assert from 'node:assert/strict';
import {test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {UndockError} from '../../source/data/errors.js';
import {sameSocket} from '../../source/data/grpc/connection.js';

// Nothing listens on these: calls fail at once with the endpoint's own text.
const SOCKET = '/nonexistent/undock-context-test.sock';

function context(flags: Parameters<typeof buildConfig>[0]) {
  return createDataContext(buildConfig({etcdEndpoints: '127.0.0.1:2', ...flags}, {}));
}

async function failure(p: Promise<unknown>): Promise<UndockError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UndockError, String(e));
    return e;
  }
  throw new Error('the call did not fail');
}

test('the same socket for containerd and CRI: one channel, each with its own name and fix in errors', async () => {
  const ctx = context({address: SOCKET}); // --runtime-endpoint defaults to --address
  try {
    assert.ok(ctx.cri.conn.sharesChannelWith(ctx.containerd.conn));
    const cri = await failure(ctx.cri.listPodSandboxes());
    assert.equal(cri.kind, 'unavailable');
    assert.match(cri.line, /^CRI runtime not reachable at \/nonexistent\/undock-context-test\.sock: no such socket/);
    assert.match(cri.line, /set --runtime-endpoint or CONTAINER_RUNTIME_ENDPOINT/);
    const containerd = await failure(ctx.containerd.listNamespaces());
    assert.match(containerd.line, /^containerd not reachable at .*: no such socket: is it running\? set --address or CONTAINERD_ADDRESS$/);
  } finally {
    ctx.close();
  }
});

test('closing one of two connections on a shared channel leaves the other working', async () => {
  const ctx = context({address: SOCKET, runtimeEndpoint: `unix://${SOCKET}`});
  try {
    assert.ok(ctx.cri.conn.sharesChannelWith(ctx.containerd.conn), 'unix:// and a plain path name the same socket');
    await failure(ctx.cri.listPodSandboxes());
    await failure(ctx.containerd.listNamespaces());
    ctx.containerd.conn.close();
    // still the daemon's answer, not grpc-js's "channel has been shut down"
    assert.equal((await failure(ctx.cri.listPodSandboxes())).kind, 'unavailable');
  } finally {
    ctx.close();
  }
});

test('different sockets get channels of their own', () => {
  const ctx = context({address: SOCKET, runtimeEndpoint: '/nonexistent/other.sock'});
  try {
    assert.ok(!ctx.cri.conn.sharesChannelWith(ctx.containerd.conn));
  } finally {
    ctx.close();
  }
});

test('sameSocket compares socket paths, whatever the spelling', () => {
  assert.ok(sameSocket('/run/a.sock', 'unix:///run/a.sock'));
  assert.ok(sameSocket('unix:/run/a.sock', '/run/../run/a.sock'));
  assert.ok(!sameSocket('/run/a.sock', '/run/b.sock'));
  assert.ok(sameSocket('127.0.0.1:5000', '127.0.0.1:5000'));
  assert.ok(!sameSocket('/run/a.sock', '127.0.0.1:5000'));
});

test('a call that finds the socket down tells every daemon on it: containerd and CRI on its socket', async () => {
  const ctx = context({address: SOCKET});
  const told: string[] = [];
  const off = ctx.onFailure!((daemon, error) => told.push(`${daemon}: ${error}`));
  try {
    await failure(ctx.containerd.listNamespaces());
    assert.equal(told.length, 2, told.join('\n'));
    assert.match(told[0]!, /^containerd: containerd not reachable at .*: no such socket/);
    assert.match(told[1]!, /^cri: CRI runtime not reachable at .*: no such socket/);
  } finally {
    off();
    ctx.close();
  }
});
