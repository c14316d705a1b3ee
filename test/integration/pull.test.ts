import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {after, before, test} from 'node:test';
import {ContainerdClient} from '../../source/data/containerd/client.js';
import {CriClient} from '../../source/data/cri/client.js';
import {pullImage, type PullProgress} from '../../source/data/cri/pull.js';
import {UndockError} from '../../source/data/errors.js';
import {GrpcConnection} from '../../source/data/grpc/connection.js';
import {ctr, ctrImages} from '../helpers/ctr.js';
import {
  pushImageWithRandomLayer,
  pushWithCtr,
  startRegistry,
  stopRegistry,
  throttledProxy,
  type TestRegistry,
  type ThrottledProxy,
} from '../helpers/registry.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';

const env = sandboxEnv();
const conn = new GrpcConnection({label: 'containerd', address: env.address, howToChange: ''});
const cri = new CriClient(conn);
const containerd = new ContainerdClient(conn);
const run = randomBytes(3).toString('hex');
const REPO = 'undock/busybox';
const BASE_TAG = `pulltest-${run}`;

let registry: TestRegistry | undefined;
let proxy: ThrottledProxy | undefined;
const pulled: string[] = [];

before(() => {
  registry = startRegistry();
  // The brief's way to fill it: ctr pushes the sandbox's busybox over plain HTTP.
  pushWithCtr(registry, `${REPO}:${BASE_TAG}`);
});

after(async () => {
  for (const ref of pulled) await cri.removeImage(ref).catch(() => undefined);
  await proxy?.close();
  if (registry) stopRegistry(registry);
  conn.close();
});

function k8sRefs(): string[] {
  return ctrImages('k8s.io').map((r) => r.REF);
}

function contentDigests(): string[] {
  return ctr('k8s.io', 'content', 'ls', '-q').trim().split('\n');
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('the registry holds what ctr pushed', async () => {
  const res = await fetch(`http://${registry!.address}/v2/${REPO}/tags/list`);
  const body = (await res.json()) as {tags: string[]};
  assert.ok(body.tags.includes(BASE_TAG), `tags: ${body.tags.join(', ')}`);
});

test('pullImage over a slow link reports growing progress, then done; removeImage takes it away', async (t) => {
  const layerBytes = 4 * 1024 * 1024;
  const image = await pushImageWithRandomLayer(registry!, REPO, BASE_TAG, `slow-${run}`, layerBytes);
  // About 2 s of transfer: many 100 ms polls see the layer on its way.
  proxy = await throttledProxy(registry!.address, 2 * 1024 * 1024);
  const ref = `${proxy.address}/${REPO}:slow-${run}`;
  assert.ok(!k8sRefs().includes(ref), 'the node does not have the image before the pull');
  assert.equal((await cri.imageStatus(ref)).image, undefined);

  const reports: PullProgress[] = [];
  const t0 = performance.now();
  pulled.push(ref);
  const {imageRef} = await pullImage(cri, containerd, ref, (p) => reports.push(structuredClone(p)));
  const ms = Math.round(performance.now() - t0);
  t.diagnostic(`pull of ${ref} (${layerBytes} B new layer at 2 MiB/s): ${ms} ms, ${reports.length} progress reports`);
  t.diagnostic(`bytes/total reported: ${reports.map((p) => `${p.bytes}/${p.total}${p.done ? ' done' : ''}`).join(', ')}`);

  assert.equal(imageRef, image.configDigest, 'CRI names a pulled image by its config digest');
  const last = reports.at(-1)!;
  assert.equal(last.done, true, 'the last report says done');
  assert.equal(reports.filter((p) => p.done).length, 1, 'done is reported once');
  for (let i = 1; i < reports.length; i++) {
    assert.ok(reports[i]!.bytes >= reports[i - 1]!.bytes, `bytes never go down (report ${i})`);
  }
  const inFlight = reports.filter((p) => !p.done && p.bytes > 0 && p.bytes < p.total);
  assert.ok(inFlight.length >= 2, `several reports caught the layer part-way (${inFlight.length})`);
  const layerRef = `layer-${image.layerDigest}`;
  const layerSeen = last.layers.find((l) => l.ref === layerRef);
  assert.ok(layerSeen, `the new layer's ingest ${layerRef} was reported; saw ${last.layers.map((l) => l.ref).join(', ')}`);
  assert.equal(layerSeen.total, image.layerSize);
  assert.equal(layerSeen.offset, image.layerSize);
  assert.ok(last.bytes >= image.layerSize && last.bytes === last.total, `final bytes ${last.bytes} of ${last.total}`);

  const criImages = await cri.listImages();
  const listed = criImages.find((i) => i.repo_tags.includes(ref));
  assert.ok(listed, 'CRI ListImages shows the pulled tag');
  assert.equal(listed.id, image.configDigest);
  assert.ok(listed.repo_digests.includes(`${proxy.address}/${REPO}@${image.manifestDigest}`));
  const rows = ctrImages('k8s.io');
  const row = rows.find((r) => r.REF === ref);
  assert.ok(row, 'ctr -n k8s.io images ls shows the pulled tag');
  assert.equal(row.DIGEST, image.manifestDigest);
  assert.ok(contentDigests().includes(image.layerDigest), 'the layer blob is in the content store');
  const status = await cri.imageStatus(ref, true);
  assert.equal(status.image?.id, image.configDigest);
  assert.ok(status.info.info && typeof status.info.info === 'object', 'verbose image status has the parsed info');

  await cri.removeImage(ref);
  assert.equal((await cri.listImages()).some((i) => i.id === image.configDigest), false, 'gone from CRI ListImages');
  const remaining = k8sRefs();
  assert.ok(!remaining.includes(ref) && !remaining.includes(image.configDigest), 'gone from ctr images ls (tag and id)');
  assert.ok(!remaining.some((r) => r.endsWith(`@${image.manifestDigest}`)), 'gone from ctr images ls (digest ref)');
  await waitUntil('the unreferenced layer blob is collected', () => !contentDigests().includes(image.layerDigest));
  assert.ok(contentDigests().includes(image.layerDigest) === false);
  pulled.pop();
});

test('a direct pull from the loopback registry (timed)', async (t) => {
  const image = await pushImageWithRandomLayer(registry!, REPO, BASE_TAG, `fast-${run}`, 16 * 1024 * 1024);
  const ref = image.ref;
  assert.ok(!k8sRefs().includes(ref));
  const reports: PullProgress[] = [];
  const t0 = performance.now();
  pulled.push(ref);
  const {imageRef} = await pullImage(cri, containerd, ref, (p) => reports.push(p));
  const ms = Math.round(performance.now() - t0);
  t.diagnostic(`pull of ${ref} (16 MiB new layer, unthrottled): ${ms} ms, ${reports.length} progress reports`);
  assert.equal(imageRef, image.configDigest);
  assert.equal(reports.at(-1)?.done, true);
  assert.ok(k8sRefs().includes(ref));
  await cri.removeImage(ref);
  assert.ok(!k8sRefs().includes(ref));
  pulled.pop();
});

test('a pull of a reference the registry does not have fails with the reason, and reports no done', async () => {
  const ref = `${registry!.address}/${REPO}:missing-${run}`;
  const reports: PullProgress[] = [];
  await assert.rejects(pullImage(cri, containerd, ref, (p) => reports.push(p)), (e: unknown) => {
    assert.ok(e instanceof UndockError);
    assert.match(e.message, /not found/i);
    return true;
  });
  assert.ok(!reports.some((p) => p.done));
  assert.ok(!k8sRefs().includes(ref));
});

test('--readonly refuses a pull before it is sent', async () => {
  const ro = new GrpcConnection({label: 'containerd', address: env.address, howToChange: ''}, {readonly: true});
  try {
    const ref = `${registry!.address}/${REPO}:${BASE_TAG}`;
    let reports = 0;
    await assert.rejects(
      pullImage(new CriClient(ro), new ContainerdClient(ro), ref, () => reports++),
      (e: unknown) => e instanceof UndockError && e.kind === 'readonly',
    );
    assert.equal(reports, 0);
    assert.ok(!k8sRefs().includes(ref));
  } finally {
    ro.close();
  }
});
