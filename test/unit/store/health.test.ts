import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {DataContext, Daemon} from '../../../source/resources/types.js';
import {Health} from '../../../source/store/health.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Daemons that answer the probe as `answers` says, slowly if asked; failures are told through onFailure as the real context does. */
function context() {
  const answers = {containerd: true, cri: true, etcd: true};
  let delayMs = 0;
  const preloads = {count: 0};
  let tell: (d: Daemon, e: string) => void = () => {};
  const answer = <T>(d: Daemon, value: T) =>
    new Promise<T>((resolve, reject) => setTimeout(() => (answers[d] ? resolve(value) : reject(new Error(`${d} is down`))), delayMs));
  const ctx = {
    containerd: {version: () => answer('containerd', {version: '1.6'})},
    cri: {version: () => answer('cri', {runtime_name: 'containerd', runtime_version: '1.6', runtime_api_version: 'v1'})},
    etcd: {version: () => answer('etcd', {server: '3.4', cluster: '3.4', leader: 'abc', revision: '7'}), preload: async () => void preloads.count++},
    onFailure: (l: (d: Daemon, e: string) => void) => {
      tell = l;
      return () => {};
    },
  } as unknown as DataContext;
  return {ctx, answers, preloads, fail: (d: Daemon, e: string) => tell(d, e), slow: (ms: number) => (delayMs = ms)};
}

test('a failed call marks its daemon down at once; a probe confirms it soon after, and only a probe brings it back', async () => {
  const c = context();
  const health = new Health(c.ctx);
  await health.probe();
  assert.equal(health.store.getState().etcd.status, 'up');
  health.start();
  await sleep(20);
  c.answers.etcd = false;
  c.fail('etcd', 'etcd not reachable at http://x:2379 (watching /): connect ECONNREFUSED');
  assert.deepEqual(health.store.getState().etcd, {status: 'down', version: '3.4 (cluster 3.4) v3 API leader abc rev 7', error: 'etcd not reachable at http://x:2379 (watching /): connect ECONNREFUSED'});
  // The probe that confirms comes within a second or so (not the 30 s of a healthy idle screen).
  await sleep(1_300);
  assert.equal(health.store.getState().etcd.error, 'etcd is down');
  c.answers.etcd = true;
  await health.probe();
  assert.equal(health.store.getState().etcd.status, 'up');
  health.stop();
});

test('a probe that was already out when a call failed cannot say the daemon is up', async () => {
  const c = context();
  const health = new Health(c.ctx);
  c.slow(200);
  const probe = health.probe();
  await sleep(50);
  c.fail('containerd', 'containerd not reachable at /run/containerd/containerd.sock: connection refused');
  c.fail('cri', 'CRI runtime not reachable at /run/containerd/containerd.sock: connection refused');
  await probe;
  const s = health.store.getState();
  assert.equal(s.containerd.status, 'down');
  assert.equal(s.cri.status, 'down');
  assert.equal(s.etcd.status, 'up', 'the others are as the probe found them');
  await health.probe();
  assert.equal(health.store.getState().containerd.status, 'up', 'the next probe does');
});

test("the first probe waits for the first view's rows (250 ms after them), or 1.5 s from start without them", async () => {
  const c = context();
  let probes = 0;
  const version = c.ctx.containerd.version.bind(c.ctx.containerd);
  (c.ctx.containerd as {version: typeof version}).version = (...a) => (probes++, version(...a));
  let rowsIn = () => {};
  const health = new Health(c.ctx);
  health.start(new Promise<void>((r) => (rowsIn = r)));
  await sleep(400);
  assert.equal(probes, 0, 'no probe while the first view waits for its rows');
  assert.equal(c.preloads.count, 1, "etcd3's modules were loaded in the wait");
  assert.equal(health.store.getState().containerd.status, 'connecting');
  rowsIn();
  await sleep(100);
  assert.equal(probes, 0, 'not at once after them either');
  await sleep(300);
  assert.equal(probes, 1);
  assert.equal(health.store.getState().containerd.status, 'up');
  health.stop();

  const never = new Health(c.ctx);
  never.start(new Promise<void>(() => {}));
  await sleep(1_300);
  assert.equal(probes, 1, 'rows that never come hold it up to the cap');
  await sleep(700);
  assert.equal(probes, 2);
  never.stop();

  const quick = new Health(c.ctx);
  quick.start(Promise.resolve());
  await sleep(500);
  assert.equal(probes, 3, 'rows at once: the probe 250 ms after them');
  assert.equal(c.preloads.count, 2, 'no preload when the rows came before 150 ms: the probe loads etcd3 itself');
  quick.stop();
});
