import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import {after, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {UndockError} from '../../source/data/errors.js';
import {GrpcConnection} from '../../source/data/grpc/connection.js';
import {loadImages} from '../../source/resources/images/source.js';
import {formatBytes} from '../../source/resources/format.js';
import {ctr, ctrImages} from '../helpers/ctr.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
after(() => ctx.close());

test('containerd reports the version ctr sees', async () => {
  const v = await ctx.containerd.version();
  const server = /Server:\s*\n\s*Version:\s*(\S+)/.exec(ctr('default', 'version'))?.[1];
  assert.equal(v.version, server);
});

test('namespaces are those ctr lists', async () => {
  const ours = (await ctx.containerd.listNamespaces()).map((n) => n.name).sort();
  const theirs = ctr('default', 'namespaces', 'ls', '-q').trim().split('\n').sort();
  assert.deepEqual(ours, theirs);
  assert.ok(ours.includes('default') && ours.includes('k8s.io'));
});

test('images, digests, sizes and platforms agree with ctr images ls', async () => {
  const rows = await loadImages(ctx, 'default');
  const theirs = ctrImages('default');
  assert.deepEqual(rows.map((r) => r.ref).sort(), theirs.map((t) => t.REF).sort(), 'refs in default');
  for (const t of theirs) {
    const r = rows.find((x) => x.ref === t.REF)!;
    assert.equal(r.digest, t.DIGEST, `${t.REF} digest`);
    // ctr prints sizes with the same binary units and one decimal.
    assert.equal(formatBytes(r.size), t.SIZE.replace(/(\d)([KMG]i?B)$/, '$1 $2'), `${t.REF} size`);
    assert.deepEqual(r.platforms, t.PLATFORMS.split(','), `${t.REF} platforms`);
  }
});

test('k8s.io images are one row per CRI image, with its tags, repo digests, ID and size as CRI ListImages gives them', async () => {
  const rows = await loadImages(ctx, 'k8s.io');
  const theirs = await ctx.cri.listImages();
  assert.deepEqual(rows.map((r) => r.imageId).sort(), theirs.map((i) => i.id).sort(), 'one row per image ID');
  const native = ctrImages('k8s.io');
  for (const i of theirs) {
    const r = rows.find((x) => x.imageId === i.id)!;
    assert.deepEqual(r.tags, i.repo_tags, `${i.id} tags`);
    assert.deepEqual(r.repoDigests, i.repo_digests, `${i.id} repo digests`);
    assert.equal(r.size, Number(i.size), `${i.id} size as CRI (and crictl) report it`);
    assert.equal(r.tag === '', i.repo_tags.length === 0, 'no tag shown only for an image without one');
    // Every native name of the image points at the row's manifest digest, its ID name included.
    assert.equal(native.find((n) => n.REF === i.id)?.DIGEST, r.digest, `${i.id}: the digest ctr shows for it`);
  }
  assert.ok(rows.some((r) => r.ref === 'registry.k8s.io/pause:3.6'), 'the CRI sandbox image is in k8s.io');
});

test('the CRI runtime answers on the same socket', async () => {
  const v = await ctx.cri.version();
  assert.equal(v.runtime_name, 'containerd');
  assert.equal(v.runtime_api_version, 'v1');
  const images = await ctx.cri.listImages();
  assert.ok(images.some((i) => i.repo_tags.includes('registry.k8s.io/pause:3.6')));
});

test('etcd reports server and cluster versions as etcdctl does', async () => {
  const v = await ctx.etcd.version();
  const out = execFileSync('etcdctl', ['endpoint', 'status', '-w', 'json'], {
    encoding: 'utf8',
    env: {...process.env, ETCDCTL_API: '3'},
  });
  const status = JSON.parse(out)[0].Status;
  assert.equal(v.server, status.version);
  assert.match(v.cluster, /^3\.4\./);
});

test('a missing socket is reported by path with the way to point elsewhere', async () => {
  const bad = createDataContext(buildConfig({address: '/nonexistent.sock'}, {}));
  try {
    await assert.rejects(bad.containerd.version(), (e: unknown) => {
      assert.ok(e instanceof UndockError);
      assert.equal(e.kind, 'unavailable');
      assert.equal(e.line, 'containerd not reachable at /nonexistent.sock: no such socket: is it running? set --address or CONTAINERD_ADDRESS');
      return true;
    });
  } finally {
    bad.close();
  }
});

test('a socket nobody listens on is told apart from a missing one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-'));
  const sock = path.join(dir, 'dead.sock');
  // A bound socket that never listens: the file is there, as after a daemon crashed.
  execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', sock]);
  const bad = createDataContext(buildConfig({address: sock}, {}));
  try {
    await assert.rejects(bad.containerd.version(), /connection refused/);
  } finally {
    bad.close();
    fs.rmSync(dir, {recursive: true, force: true});
  }
});

test('--readonly refuses a write before it is sent', async () => {
  const conn = new GrpcConnection({label: 'containerd', address: env.address, howToChange: ''}, {readonly: true});
  try {
    await assert.rejects(
      conn.unary('containerd/services/images/v1/images.proto', 'containerd.services.images.v1.Images', 'Delete', {name: 'docker.io/library/busybox:latest'}, {namespace: 'default'}),
      (e: unknown) => e instanceof UndockError && e.kind === 'readonly',
    );
    assert.match(ctr('default', 'images', 'ls', '-q'), /docker\.io\/library\/busybox:latest/);
  } finally {
    conn.close();
  }
});
