import assert from 'node:assert/strict';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {eventContainerId, subscribeEvents, type ContainerdEvent, type EventSubscription} from '../../source/data/containerd/events.js';
import {UndockError} from '../../source/data/errors.js';
import {ctr, makeTestNamespace, removeTestNamespace} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const ns = `undock-test-events-${process.pid}`;
const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
const busybox = 'docker.io/library/busybox:latest';
let cgroupParent = '';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Collects a subscription's events and lets a test wait for one. */
class Recorder {
  readonly events: ContainerdEvent[] = [];
  readonly errors: UndockError[] = [];
  ended = false;
  private waiters: Array<() => void> = [];

  readonly handlers = {
    onEvent: (e: ContainerdEvent) => this.push(() => this.events.push(e)),
    onError: (err: UndockError) => this.push(() => this.errors.push(err)),
    onEnd: () => this.push(() => (this.ended = true)),
  };

  private push(change: () => void): void {
    change();
    for (const w of this.waiters.splice(0)) w();
  }

  /** The first event (from index `from`) that matches, within timeoutMs. */
  async next(match: (e: ContainerdEvent) => boolean, timeoutMs: number, what: string, from = 0): Promise<ContainerdEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no ${what} within ${timeoutMs} ms; got: ${this.events.map((e) => `${e.namespace} ${e.topic}`).join(', ') || 'nothing'}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/**
 * containerd sends no "subscribed" signal: label our namespace until the label's
 * /namespaces/update comes through, and the stream is known to be live.
 */
async function untilLive(rec: Recorder): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const from = rec.events.length;
    ctr(ns, 'namespaces', 'label', ns, `undock-probe=${i}`);
    try {
      await rec.next((e) => e.topic === '/namespaces/update', 100, 'probe', from);
      return;
    } catch {
      // not subscribed yet
    }
  }
  throw new Error('the event stream never delivered the probe event');
}

function ctrRun(id: string, command: string[]): void {
  ctr(
    ns,
    'run',
    '-d',
    '--net-host',
    '--null-io',
    '--snapshotter',
    snapshotter,
    '--runc-root',
    path.join(env.sandbox, 'runc'),
    '--cgroup',
    `${cgroupParent}/${ns}/${id}`,
    busybox,
    id,
    ...command,
  );
}

const subs: EventSubscription[] = [];

before(() => {
  cgroupParent = makeTestNamespace(ns, busybox, snapshotter);
});

after(() => {
  try {
    for (const s of subs) s.close();
    removeTestNamespace(ns, busybox, cgroupParent);
  } finally {
    ctx.close();
  }
});

test('container and task events arrive, decoded, within a second of what ctr does', async () => {
  const rec = new Recorder();
  subs.push(subscribeEvents(ctx.containerd, {filters: [`namespace==${ns}`], ...rec.handlers}));
  await untilLive(rec);
  const id = `ev-${process.pid}`;

  let from = rec.events.length;
  ctrRun(id, ['sleep', '600']);
  const created = await rec.next((e) => e.topic === '/containers/create' && eventContainerId(e) === id, 1_000, '/containers/create', from);
  assert.equal(created.namespace, ns);
  assert.ok(created.timestamp instanceof Date);
  assert.deepEqual(
    {...(created.payload as object), runtime: undefined},
    {id, image: busybox, runtime: undefined},
  );
  assert.equal((created.payload as {runtime: {options: {root: string}}}).runtime.options.root, path.join(env.sandbox, 'runc'), 'nested Any decoded');
  const started = await rec.next((e) => e.topic === '/tasks/start' && eventContainerId(e) === id, 1_000, '/tasks/start', from);
  const pid = (started.payload as {pid: number}).pid;
  const listed = ctr(ns, 'tasks', 'ls').split('\n').find((l) => l.startsWith(id));
  assert.equal(Number(listed?.trim().split(/\s+/)[1]), pid, 'the pid ctr shows');

  from = rec.events.length;
  ctr(ns, 'tasks', 'kill', '-s', 'SIGKILL', id);
  const exit = await rec.next((e) => e.topic === '/tasks/exit' && eventContainerId(e) === id, 1_000, '/tasks/exit', from);
  const p = exit.payload as {container_id: string; id: string; pid: number; exit_status: number; exited_at: {seconds: string; nanos: number}};
  assert.equal(p.container_id, id);
  assert.equal(p.id, id, 'the init process');
  assert.equal(p.pid, pid);
  assert.equal(p.exit_status, 137);
  assert.ok(Number(p.exited_at.seconds) > 0);

  from = rec.events.length;
  ctr(ns, 'tasks', 'rm', id);
  ctr(ns, 'containers', 'rm', id);
  await rec.next((e) => e.topic === '/tasks/delete' && eventContainerId(e) === id, 1_000, '/tasks/delete', from);
  const deleted = await rec.next((e) => e.topic === '/containers/delete', 1_000, '/containers/delete', from);
  assert.deepEqual(deleted.payload, {id});
  assert.deepEqual(rec.errors, []);
  assert.equal(rec.ended, false);
});

test('filters are applied by containerd: other namespaces and topics stay out', async () => {
  const rec = new Recorder();
  subs.push(subscribeEvents(ctx.containerd, {filters: [`namespace==${ns},topic~="^/(namespaces|tasks)/"`], ...rec.handlers}));
  await untilLive(rec);
  const id = `ev-filter-${process.pid}`;
  const from = rec.events.length;
  ctrRun(id, ['sleep', '600']);
  await rec.next((e) => e.topic === '/tasks/start' && eventContainerId(e) === id, 1_000, '/tasks/start', from);
  ctr(ns, 'tasks', 'rm', '-f', id);
  ctr(ns, 'containers', 'rm', id);
  await rec.next((e) => e.topic === '/tasks/delete', 1_000, '/tasks/delete', from);
  // Namespace events published in another namespace.
  const other = `${ns}-other`;
  ctr(other, 'namespaces', 'create', other);
  ctr(other, 'namespaces', 'label', other, 'undock-probe=1');
  ctr(other, 'namespaces', 'rm', other);
  await untilLive(rec);
  const topics = new Set(rec.events.map((e) => e.topic));
  assert.ok(!topics.has('/containers/create') && !topics.has('/snapshot/prepare'), `topics ${[...topics].join(', ')}`);
  assert.ok(rec.events.every((e) => e.namespace === ns));
});

test('close() ends the stream quietly: no error, no end, no more events', async () => {
  const rec = new Recorder();
  const sub = subscribeEvents(ctx.containerd, {filters: [`namespace==${ns}`], ...rec.handlers});
  await untilLive(rec);
  sub.close();
  const seen = rec.events.length;
  ctr(ns, 'namespaces', 'label', ns, 'undock-probe=closed');
  // A live stream delivers this in milliseconds (see above); give a closed one ample time to misbehave.
  await sleep(500);
  assert.equal(rec.events.length, seen);
  assert.deepEqual(rec.errors, []);
  assert.equal(rec.ended, false);
});

test('a containerd that is not there is reported through onError as unavailable', async () => {
  const bad = createDataContext(buildConfig({address: '/nonexistent/containerd.sock', etcdEndpoints: env.etcdEndpoints}, {}));
  try {
    const rec = new Recorder();
    subscribeEvents(bad.containerd, rec.handlers);
    for (let i = 0; i < 100 && rec.errors.length === 0; i++) await sleep(50);
    assert.equal(rec.errors.length, 1);
    assert.equal(rec.errors[0]!.kind, 'unavailable');
    assert.match(rec.errors[0]!.line, /containerd not reachable at \/nonexistent\/containerd\.sock/);
    assert.equal(rec.ended, false);
  } finally {
    bad.close();
  }
});
