import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {buildConfig} from '../../../source/config.js';
import {createDataContext} from '../../../source/context.js';
import {UndockError} from '../../../source/data/errors.js';
import {rangeKeys} from '../../../source/data/etcd/keys.js';
import {grpcCause} from '../../../source/data/grpc/grpc-errors.js';

// Real wrong endpoints: a regular file, a folder, a socket that is not gRPC, ones that accept and say nothing.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-unreachable-'));
const servers: net.Server[] = [];
let silentPort = 0;

const sockets = new Set<net.Socket>();

function listen(server: net.Server, where: string | number): Promise<void> {
  servers.push(server);
  // Closed at the end: a silent server's connections would keep the test process alive.
  server.on('connection', (c) => sockets.add(c));
  return new Promise((resolve) => (typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve)));
}

before(async () => {
  fs.writeFileSync(path.join(dir, 'file.sock'), '');
  fs.mkdirSync(path.join(dir, 'dir.sock'));
  await listen(net.createServer((c) => c.end('HTTP/1.1 400 Bad Request\r\n\r\n')), path.join(dir, 'http.sock'));
  await listen(net.createServer(() => {}), path.join(dir, 'silent.sock'));
  const tcp = net.createServer(() => {});
  await listen(tcp, 0);
  silentPort = (tcp.address() as net.AddressInfo).port;
});

after(() => {
  for (const s of servers) s.close();
  for (const c of sockets) c.destroy();
  fs.rmSync(dir, {recursive: true, force: true});
});

async function failure(p: Promise<unknown>): Promise<{e: UndockError; ms: number}> {
  const t0 = Date.now();
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UndockError, String(e));
    return {e, ms: Date.now() - t0};
  }
  throw new Error('the call did not fail');
}

async function containerdAt(address: string): Promise<{containerd: UndockError; cri: UndockError; ms: number}> {
  const ctx = createDataContext(buildConfig({address, etcdEndpoints: '127.0.0.1:2'}, {}));
  try {
    const [c, r] = await Promise.all([failure(ctx.containerd.version({deadlineMs: 1_500})), failure(ctx.cri.version({deadlineMs: 1_500}))]);
    return {containerd: c.e, cri: r.e, ms: Math.max(c.ms, r.ms)};
  } finally {
    ctx.close();
  }
}

test('--address naming a regular file or a folder says so', async () => {
  const file = await containerdAt(path.join(dir, 'file.sock'));
  assert.match(file.containerd.line, /containerd not reachable at .*file\.sock: it is a regular file, not a socket: point undock at containerd's socket/);
  const folder = await containerdAt(path.join(dir, 'dir.sock'));
  assert.match(folder.containerd.line, /containerd not reachable at .*dir\.sock: it is a directory, not a socket/);
  assert.match(folder.cri.line, /^CRI runtime not reachable at .*dir\.sock: it is a directory, not a socket/);
});

test('a socket that does not speak gRPC says so, with no grpc-js notes', async () => {
  const r = await containerdAt(path.join(dir, 'http.sock'));
  assert.match(r.containerd.line, /^containerd at .*http\.sock does not speak gRPC: something else listens there; is this containerd's socket\?/);
  for (const e of [r.containerd, r.cri]) assert.doesNotMatch(e.line, /Resolution note|Protocol error \(|null/);
});

test('an endpoint that accepts and never answers says so within the call deadline', async () => {
  for (const address of [path.join(dir, 'silent.sock'), `127.0.0.1:${silentPort}`]) {
    const r = await containerdAt(address);
    assert.match(r.containerd.line, /^containerd at .* accepted the connection but never answered: is it hung, or not containerd\?/);
    assert.ok(r.ms < 2_500, `answered in ${r.ms} ms (deadline 1.5 s)`);
  }
  const ctx = createDataContext(buildConfig({address: '/nonexistent.sock', etcdEndpoints: `127.0.0.1:${silentPort}`}, {}));
  try {
    const first = await failure(rangeKeys(ctx.etcd, ''));
    assert.match(first.e.line, /^etcd at http:\/\/127\.0\.0\.1:\d+ accepted the connection but never answered \(listing keys under \/\)/);
    assert.ok(first.ms < 6_000, `the first page says so within its 5 s deadline (${first.ms} ms)`);
    // etcd3's circuit breaker then refuses without trying: the cause is still named, not the breaker.
    const again = await failure(rangeKeys(ctx.etcd, ''));
    assert.doesNotMatch(again.e.line, /circuit breaker/);
    assert.match(again.e.line, /accepted the connection but never answered/);
  } finally {
    ctx.close();
  }
});

test("grpc-js's wrapping is taken off a cause; a null cause is no cause", () => {
  assert.equal(grpcCause('No connection established. Last error: null. Resolution note: '), '');
  assert.equal(grpcCause('No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: '), 'connect ECONNREFUSED 127.0.0.1:1');
  assert.equal(grpcCause('No connection established. Last error: Protocol error (2026-12-01T20:58:28.365Z). Resolution note: '), 'Protocol error');
});
