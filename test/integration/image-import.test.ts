import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {buildConfig} from '../../source/config.js';
import {createDataContext} from '../../source/context.js';
import {tagImage} from '../../source/data/containerd/content-write.js';
import {exportImage} from '../../source/data/containerd/image-export.js';
import {importArchive, type ImportProgress} from '../../source/data/containerd/image-import.js';
import {runContainer} from '../../source/data/containerd/run.js';
import {ctr, ctrImages} from '../helpers/ctr.js';
import {writeDockerArchive} from '../helpers/docker-archive.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const ctx = createDataContext(buildConfig({address: env.address, etcdEndpoints: env.etcdEndpoints}, {}));
const NS = `importtest-${process.pid}`;
const NS2 = `importtest2-${process.pid}`;
const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-import-test-'));
const logDir = path.join(env.sandbox, `importtest-${process.pid}-logs`);

after(() => {
  for (const ns of [NS, NS2]) {
    let names: string[] = [];
    try {
      names = ctr(ns, 'namespaces', 'ls', '-q').includes(ns) ? ctr(ns, 'images', 'ls', '-q').split('\n').filter(Boolean) : [];
    } catch {
      continue;
    }
    for (const id of ctr(ns, 'tasks', 'ls', '-q').split('\n').filter(Boolean)) ctr(ns, 'tasks', 'rm', '-f', id);
    for (const id of ctr(ns, 'containers', 'ls', '-q').split('\n').filter(Boolean)) ctr(ns, 'containers', 'rm', id);
    for (const n of names) ctr(ns, 'images', 'rm', '--sync', n);
    ctr('default', 'namespaces', 'rm', ns);
    fs.rmSync(path.join(env.sandbox, 'runc', ns), {recursive: true, force: true});
    for (const controller of fs.readdirSync('/sys/fs/cgroup')) {
      try {
        fs.rmdirSync(path.join('/sys/fs/cgroup', controller, ctx.config.cgroupParent ?? '/', ns));
      } catch {
        // not made under this controller
      }
    }
  }
  fs.rmSync(tmp, {recursive: true, force: true});
  fs.rmSync(logDir, {recursive: true, force: true});
  ctx.close();
});

async function waitForLog(file: string, needle: string): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (text.includes(needle)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${needle}" never appeared in ${file}`);
}

test('a docker save archive built here imports as ctr would, and a container runs from it', {timeout: 120_000}, async () => {
  const archive = path.join(tmp, 'dockerbuilt.tar');
  const {configDigest} = writeDockerArchive(archive, 'undock/dockerbuilt:1.0', ['sh', '-c', 'cat /www/index.html; sleep 3600']);
  const seen: ImportProgress[] = [];
  const result = await importArchive(ctx.containerd, NS, archive, {snapshotter, progress: (p) => seen.push(p)});
  assert.equal(result.format, 'docker');
  assert.deepEqual(result.images.map((i) => i.name), ['docker.io/undock/dockerbuilt:1.0']);
  assert.ok(seen.some((p) => p.stage === 'writing' && p.bytes > 0) && seen.some((p) => p.stage === 'unpacking'), 'progress was reported');

  // What containerd now holds, told by ctr.
  const row = ctrImages(NS).find((r) => r.REF === 'docker.io/undock/dockerbuilt:1.0');
  assert.ok(row, `ctr lists the image: ${JSON.stringify(ctrImages(NS))}`);
  assert.equal(row.TYPE, 'application/vnd.docker.distribution.manifest.v2+json');
  assert.match(row.PLATFORMS, /linux\//);
  const manifest = JSON.parse(ctr(NS, 'content', 'get', row.DIGEST)) as {config: {digest: string}; layers: Array<{mediaType: string}>};
  assert.equal(manifest.config.digest, configDigest, 'the manifest names the archive config');
  assert.equal(manifest.layers[0]!.mediaType, 'application/vnd.docker.image.rootfs.diff.tar');
  // No lease is left behind, and content is held by the image (gc labels), not by the lease.
  assert.doesNotMatch(ctr(NS, 'leases', 'ls'), /undock-import/);
  const snaps = ctr(NS, 'snapshots', '--snapshotter', snapshotter, 'ls');
  assert.match(snaps, /Committed/, 'the layer is unpacked');

  const name = `imported-${process.pid}`;
  const started = await runContainer(ctx.containerd, NS, {
    image: 'docker.io/undock/dockerbuilt:1.0',
    name,
    command: [],
    env: [],
    hostNetwork: true,
    logDir,
    runcRoot: ctx.config.runcRoot,
    cgroupParent: ctx.config.cgroupParent,
  });
  assert.match(ctr(NS, 'tasks', 'ls'), new RegExp(`${name}\\s+${started.pid}\\s+RUNNING`));
  await waitForLog(started.logPath!, 'built by a docker save archive');

  // The same archive again: nothing new is written, the image stays.
  const again = await importArchive(ctx.containerd, NS, archive, {snapshotter});
  assert.equal(again.bytesWritten, 0);
  assert.equal(again.images[0]!.created, false);
});

test('tag gives a second name to the same target; export writes an OCI tarball that ctr imports', {timeout: 120_000}, async () => {
  const src = await ctx.containerd.getImage(NS, 'docker.io/undock/dockerbuilt:1.0');
  await tagImage(ctx.containerd, NS, src, 'localhost/undock/retagged:2.0');
  const rows = ctrImages(NS);
  const tagged = rows.find((r) => r.REF === 'localhost/undock/retagged:2.0');
  assert.ok(tagged, 'ctr lists the new name');
  assert.equal(tagged.DIGEST, src.target.digest);
  await assert.rejects(tagImage(ctx.containerd, NS, src, 'localhost/undock/retagged:2.0'), 'a taken name is refused');

  const out = path.join(tmp, 'exported.tar');
  let last = 0;
  const res = await exportImage(ctx.containerd, NS, 'localhost/undock/retagged:2.0', out, (b) => (last = b));
  assert.equal(res.blobs, 3, 'manifest, config and the layer');
  assert.equal(last, res.bytes);
  ctr(NS2, 'images', 'import', '--snapshotter', snapshotter, out);
  const imported = ctrImages(NS2).find((r) => r.REF === 'localhost/undock/retagged:2.0');
  assert.ok(imported, `ctr imported what undock exported: ${JSON.stringify(ctrImages(NS2))}`);
  assert.equal(imported.DIGEST, src.target.digest);
  await assert.rejects(exportImage(ctx.containerd, NS, 'localhost/undock/retagged:2.0', out), /already exists/);
});

test('an OCI layout tarball (the sandbox busybox) imports with its index and name', {timeout: 60_000}, async () => {
  const tarball = path.join(env.sandbox, 'images', 'busybox.tar');
  const res = await importArchive(ctx.containerd, NS, tarball, {snapshotter});
  assert.equal(res.format, 'oci');
  const row = ctrImages(NS).find((r) => r.REF === 'docker.io/library/busybox:latest');
  assert.ok(row, 'ctr lists it');
  assert.equal(row.DIGEST, res.images[0]!.digest);
  assert.equal(ctr(NS, 'content', 'ls', '-q').split('\n').filter(Boolean).length >= 3, true);
});
