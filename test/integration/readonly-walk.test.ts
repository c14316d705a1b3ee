import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import * as grpc from '@grpc/grpc-js';
import {Etcd3} from 'etcd3';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {tagImage} from '../../source/data/containerd/content-write.js';
import {importArchive} from '../../source/data/containerd/image-import.js';
import {isReadRpc} from '../../source/data/grpc/rpc-classes.js';
import {commandNames, runCommand} from '../../source/keys/commands.js';
import {dispatchKey} from '../../source/keys/router.js';
import {AppController} from '../../source/store/app-store.js';
import {registry, views} from '../../source/views/registry.js';
import {ctr} from '../helpers/ctr.js';
import {writeDockerArchive} from '../helpers/docker-archive.js';
import {etcdctl} from '../helpers/etcd.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const WALK_USER = `walk-user-${process.pid}`;
const WALK_ROLE = `walk-role-${process.pid}`;

/** Something for every etcd admin view's keys to act on: a raised NOSPACE alarm, a user with a role with a permission. */
async function raiseEtcdState(): Promise<() => Promise<void>> {
  etcdctl('role', 'add', WALK_ROLE);
  etcdctl('role', 'grant-permission', '--prefix', WALK_ROLE, 'read', '/walk/');
  etcdctl('user', 'add', `${WALK_USER}:walk-pw`);
  etcdctl('user', 'grant-role', WALK_USER, WALK_ROLE);
  // etcdctl cannot raise an alarm: the raw API can (etcd raises NOSPACE itself at its quota)
  const raw = new Etcd3({hosts: env.etcdEndpoints.split(',')});
  const memberID = (await raw.maintenance.status()).header.member_id;
  await raw.maintenance.alarm({action: 'Activate', memberID, alarm: 'Nospace'});
  return async () => {
    await raw.maintenance.alarm({action: 'Deactivate', memberID, alarm: 'Nospace'});
    raw.close();
    etcdctl('user', 'delete', WALK_USER);
    etcdctl('role', 'delete', WALK_ROLE);
  };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every gRPC method path that leaves this process, containerd's and CRI's channel and etcd3's own
 * copy of grpc-js alike: each call is created on a channel (clients' methods are bound too early to patch).
 */
const sent: string[] = [];
function recordSentCalls(): void {
  const etcdGrpc = createRequire(createRequire(import.meta.url).resolve('etcd3'))('@grpc/grpc-js') as typeof grpc;
  for (const lib of new Set([grpc, etcdGrpc])) {
    const proto = lib.Channel.prototype as unknown as {createCall: (method: string, ...rest: unknown[]) => unknown};
    const original = proto.createCall;
    proto.createCall = function (this: unknown, method: string, ...rest: unknown[]) {
      sent.push(method);
      return original.call(this, method, ...rest);
    };
  }
}

/**
 * A write is any sent method the classification does not call a read. For etcd, only plain reads
 * count as reads: a Txn is a write here even when it only compares and ranges, so the walk proves
 * that no transaction was sent at all.
 */
function isWrite(path: string): boolean {
  const [, service = '', method = ''] = /^\/([^/]+)\/([^/]+)$/.exec(path) ?? [];
  if (service.startsWith('etcdserverpb.')) {
    const etcdReads = [
      ...['KV/Range', 'Watch/Watch', 'Maintenance/Status', 'Cluster/MemberList', 'Lease/LeaseLeases', 'Lease/LeaseTimeToLive', 'Auth/Authenticate'],
      // hashes and a snapshot read the backend; the auth listings change nothing (Maintenance/Alarm is not here: it disarms too)
      ...['Maintenance/HashKV', 'Maintenance/Snapshot', 'Auth/UserList', 'Auth/UserGet', 'Auth/RoleList', 'Auth/RoleGet', 'Auth/AuthStatus'],
    ];
    return !etcdReads.includes(`${service.replace('etcdserverpb.', '')}/${method}`);
  }
  return !isReadRpc(service, method);
}

/** What the daemons hold, told by their own CLIs. */
function daemonState(): string {
  const namespaces = ctr('default', 'namespaces', 'ls', '-q').trim().split('\n');
  // ctr lists tasks in no fixed order: each listing is compared as a sorted set of lines.
  const sorted = (out: string) => out.trimEnd().split('\n').sort().join('\n');
  const parts = namespaces.map((ns) => [ns, ...[ctr(ns, 'containers', 'ls'), ctr(ns, 'tasks', 'ls'), ctr(ns, 'images', 'ls', '-q'), ctr(ns, 'snapshots', 'ls')].map(sorted)].join('\n'));
  const etcd = etcdctl('get', '', '--from-key', '-w', 'json', '--limit', '100000');
  const {header, kvs} = JSON.parse(etcd) as {header: {revision: number}; kvs?: unknown[]};
  // What `run` makes outside containerd: network namespaces, TTY folders, portmap's rules.
  const runDir = process.env.UNDOCK_RUN_DIR ?? '/run/undock';
  const listed = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d, {recursive: true}).map(String).sort().join(' ') : '-');
  const dnat = execFileSync('iptables-save', ['-t', 'nat'], {encoding: 'utf8'}).split('\n').filter((l) => l.includes('CNI-DN-')).length;
  parts.push(`netns: ${listed(`${runDir}/netns`)}; tty: ${listed(`${runDir}/tty`)}; portmap rules: ${dnat}`);
  // Alarms, users, roles and their permissions are not keys: asked for themselves.
  const etcdAdmin = [etcdctl('alarm', 'list'), etcdctl('user', 'list'), etcdctl('role', 'list'), etcdctl('user', 'get', WALK_USER), etcdctl('role', 'get', WALK_ROLE)];
  // Task PIDs and CPU move by themselves; the rows that exist and their status must not.
  return [...parts, `etcd revision ${header.revision}, ${kvs?.length ?? 0} keys`, ...etcdAdmin].join('\n').replace(/\s+\d+\s+(RUNNING|STOPPED|CREATED|PAUSED)/g, ' $1');
}

async function settle(app: AppController): Promise<void> {
  for (let i = 0; i < 40 && app.ui.getState().busy; i++) await sleep(25);
  await sleep(30);
}

/**
 * Until the view's rows are there: a table's resource has loaded (an empty one, :alarms without an
 * alarm, is loaded with no rows), any other view shows a row. At most 400 ms.
 */
async function rowsShown(app: AppController): Promise<void> {
  for (let i = 0; i < 16; i++) {
    const frame = app.currentFrame();
    const table = registry.find(frame.view)?.table?.(frame);
    if (table ? app.resourceStore(table.resource.id).getState().loaded : app.model().count > 0) return;
    await sleep(25);
  }
}

/** Answers whatever a key asked: confirm a dialog, submit a form (so a refusal must come before, not after). */
async function answerEverything(app: AppController): Promise<void> {
  for (let round = 0; round < 6; round++) {
    await settle(app);
    const ui = app.ui.getState();
    if (ui.dialog) dispatchKey(app, {name: 'y', text: 'y'});
    else if (ui.form) dispatchKey(app, {name: 'enter', text: ''});
    else return;
  }
}

/** Presses every key of the frame a key opened (and of the frames those open, `depth` levels down). */
async function walkDrillDowns(app: AppController, from: string, depth: number, refusals: Set<string>): Promise<number> {
  const inner = app.currentFrame();
  if (depth === 0 || inner.view === from) return 0;
  let pressed = 0;
  for (const b of registry.find(inner.view)?.bindings(app, inner) ?? []) {
    if (app.currentFrame().id !== inner.id) break;
    await rowsShown(app);
    dispatchKey(app, {name: b.keys[0]!, text: b.keys[0]!.length === 1 ? b.keys[0]! : ''});
    pressed++;
    await answerEverything(app);
    const said = app.ui.getState().status?.text ?? '';
    if (/refused/.test(said)) refusals.add(said);
    if (app.currentFrame().id !== inner.id) {
      pressed += await walkDrillDowns(app, inner.view, depth - 1, refusals);
      if (app.currentFrame().id !== inner.id) break;
    }
  }
  return pressed;
}

test('under --readonly, every key of every view and every : command sends no write and changes nothing', {timeout: 420_000}, async () => {
  // made before the recording starts: these writes are the test's, not undock's
  const lower = await raiseEtcdState();
  try {
    await walk();
  } finally {
    await lower();
  }
});

async function walk(): Promise<void> {
  recordSentCalls();
  const before = daemonState();
  assert.match(before, /alarm:NOSPACE/, 'the walk starts with an alarm to disarm');
  const config = buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints, readonly: true, namespace: 'default'}, {});
  const ctx = createDataContext(config);
  const app = new AppController(ctx, registry);
  app.onQuit = () => {};
  app.start();
  // Export writes only a local file (it reads from containerd): the walk's land in a folder of its own.
  const cwd = process.cwd();
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-walk-'));
  process.chdir(exportDir);
  let pressed = 0;
  const refusals = new Set<string>();
  try {
    for (const ns of ['default', 'k8s.io']) {
      for (const v of views.filter((x) => x.open)) {
        // Each key starts from a fresh view with its data loaded, the first row selected.
        app.setNamespace(ns);
        const opened = (app.openNamed(v.id), app.currentFrame());
        // A view whose rows do not depend on the containerd namespace (etcd's, the key tree, drift,
        // contexts) is walked once: in k8s.io it would press the same keys on the same rows again.
        const table = v.table?.(opened);
        if (ns !== 'default' && !(table?.resource.namespaced || table?.resource.daemon === 'cri')) continue;
        const keys = v.bindings(app, opened).flatMap((b) => b.keys.slice(0, 1));
        for (const key of [...keys, 'enter']) {
          app.setNamespace(ns);
          app.openNamed(v.id);
          await rowsShown(app);
          dispatchKey(app, {name: key, text: key.length === 1 ? key : ''});
          pressed++;
          await answerEverything(app);
          // A drill-down (processes, a pod's containers, a log, describe) and one below it (a process's signal picker): their keys too.
          pressed += await walkDrillDowns(app, v.id, 2, refusals);
          const status = app.ui.getState().status?.text ?? '';
          if (/refused/.test(status)) refusals.add(status);
        }
      }
    }
    for (const name of commandNames(app)) {
      if (name === 'q' || name === 'quit') continue;
      for (const line of [name, `${name} all`, `${name} k8s.io`]) {
        runCommand(app, line === 'exec' ? 'exec ls /' : line);
        pressed++;
        await answerEverything(app);
        const status = app.ui.getState().status?.text ?? '';
        if (/refused/.test(status)) refusals.add(status);
      }
    }
    // The new mutating verbs, below the UI too: each is refused before a lease, a record or a listener exists.
    const archive = path.join(exportDir, 'walk.tar');
    writeDockerArchive(archive, 'undock/walk:1', ['true']);
    runCommand(app, `import ${archive}`);
    await answerEverything(app);
    refusals.add(app.ui.getState().status?.text ?? '');
    await assert.rejects(importArchive(ctx.containerd, 'default', archive, {snapshotter: 'overlayfs'}), /refused Leases\.Create/);
    const image = (await ctx.containerd.listImages('default'))[0]!;
    await assert.rejects(tagImage(ctx.containerd, 'default', image, 'localhost/walk/tag:1'), /refused Images\.Create/);
    const pod = (await ctx.cri.listPodSandboxes({state: 'ready'}))[0]!;
    await assert.rejects(ctx.forwards.start(ctx.cri.conn, pod.id, 'walk', 80, 0), /refused RuntimeService\.PortForward/);
    assert.equal(ctx.forwards.list().length, 0);
  } finally {
    app.close();
    ctx.close();
    process.chdir(cwd);
    fs.rmSync(exportDir, {recursive: true, force: true});
  }
  for (const verb of ['import', 'tag', 'prune unused', 'port-forward']) {
    assert.ok([...refusals].some((r) => r.startsWith(`${verb} refused`)), `${verb} was refused: ${[...refusals].join(' | ')}`);
  }
  const writes = sent.filter(isWrite);
  assert.deepEqual(writes, [], `no write left undock (of ${sent.length} calls sent)`);
  assert.ok(sent.some((p) => p.endsWith('/List') || p.endsWith('/ListStream')), 'the walk did read from containerd');
  assert.ok(sent.some((p) => p === '/etcdserverpb.KV/Range'), 'the walk did read from etcd');
  assert.ok(refusals.size >= 5, `dangerous keys said they were refused: ${[...refusals].join(' | ')}`);
  // every etcd admin verb among them, by its label
  const etcdVerbs = ['disarm', 'defragment', 'compact', 'move leader here', 'add user', 'delete user', 'grant role', 'revoke role', 'auth enable', 'auth disable', 'add role', 'delete role', 'grant permission', 'revoke permission'];
  for (const verb of etcdVerbs) assert.ok([...refusals].some((r) => r.startsWith(`${verb} refused`)), `${verb} was refused: ${[...refusals].join(' | ')}`);
  assert.ok(pressed > 150, `${pressed} keys and commands were tried`);
  assert.equal(daemonState(), before, 'containerd and etcd hold what they held (the alarm still raised)');
}
