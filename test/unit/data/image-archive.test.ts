import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {after, test} from 'node:test';
import {MEDIA, normalizeDockerName, planArchive} from '../../../source/data/containerd/image-archive.js';
import {indexTar, readEntry, uncompressedTar} from '../../../source/data/containerd/tar.js';
import {tarBuffer, writeDockerArchive} from '../../helpers/docker-archive.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-archive-'));
after(() => fs.rmSync(tmp, {recursive: true, force: true}));

test('docker names are normalised as Docker and ctr name them', () => {
  assert.equal(normalizeDockerName('busybox'), 'docker.io/library/busybox:latest');
  assert.equal(normalizeDockerName('undock/app:1.0'), 'docker.io/undock/app:1.0');
  assert.equal(normalizeDockerName('localhost:5000/a/b:2'), 'localhost:5000/a/b:2');
  assert.equal(normalizeDockerName('registry.example.com/x'), 'registry.example.com/x:latest');
  assert.equal(normalizeDockerName('localhost/x:1'), 'localhost/x:1');
});

test('the tar index finds entries in place, a PAX long name included, and reads gzip archives', async () => {
  const long = `${'d'.repeat(90)}/${'f'.repeat(60)}.json`;
  const pax = `path=${long}\n`;
  const record = (n: number) => `${n} ${pax}`;
  let len = record(0).length;
  while (record(len).length !== len) len = record(len).length;
  const file = path.join(tmp, 'pax.tar');
  const body = tarBuffer([{name: 'PaxHeader', type: 'file', data: Buffer.from(record(len))}, {name: 'short', type: 'file', data: Buffer.from('{"a":1}')}]);
  // The first entry becomes a PAX header ('x') that names the next one.
  body[156] = 'x'.charCodeAt(0);
  let sum = 0;
  body.fill(0x20, 148, 156);
  for (let i = 0; i < 512; i++) sum += body[i]!;
  body.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  fs.writeFileSync(file, body);
  const entries = await indexTar(file);
  assert.deepEqual([...entries.keys()], [long]);
  assert.equal((await readEntry(file, entries.get(long)!)).toString(), '{"a":1}');

  const gz = path.join(tmp, 'a.tar.gz');
  fs.writeFileSync(gz, gzipSync(body));
  const plain = await uncompressedTar(gz, path.join(tmp, 'plain.tar'));
  assert.notEqual(plain, gz);
  assert.deepEqual([...(await indexTar(plain)).keys()], [long]);
});

test('a docker save archive becomes a schema2 manifest over its config and uncompressed layers, with gc labels', async () => {
  const file = path.join(tmp, 'docker.tar');
  const {configDigest, diffId} = writeDockerArchive(file, 'undock/app:1.0', ['true']);
  const plan = await planArchive(file, await indexTar(file), 'docker');
  assert.equal(plan.format, 'docker');
  assert.equal(plan.images.length, 1);
  const img = plan.images[0]!;
  assert.equal(img.name, 'docker.io/undock/app:1.0');
  assert.equal(img.target.mediaType, MEDIA.dockerManifest);
  assert.deepEqual(img.diffIds, [diffId]);
  assert.equal(img.layers[0]!.digest, diffId, 'an uncompressed layer is its own diff');
  assert.equal(img.layers[0]!.mediaType, MEDIA.dockerLayer);
  const manifest = plan.blobs.at(-1)!;
  assert.equal(manifest.desc.digest, img.target.digest, 'the manifest is written last');
  const data = (manifest.from as {data: Buffer}).data;
  assert.equal(`sha256:${createHash('sha256').update(data).digest('hex')}`, img.target.digest);
  assert.deepEqual(manifest.labels, {'containerd.io/gc.ref.content.config': configDigest, 'containerd.io/gc.ref.content.l.0': diffId});
});

test('an archive that is neither format, and a docker archive missing a layer, are refused by name', async () => {
  const file = path.join(tmp, 'none.tar');
  fs.writeFileSync(file, tarBuffer([{name: 'hello.txt', type: 'file', data: Buffer.from('hi')}]));
  await assert.rejects(planArchive(file, await indexTar(file), 'x'), /neither manifest\.json/);
  const broken = path.join(tmp, 'broken.tar');
  fs.writeFileSync(broken, tarBuffer([{name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify([{Config: 'c.json', Layers: ['l/layer.tar']}]))}]));
  await assert.rejects(planArchive(broken, await indexTar(broken), 'x'), /lacks an image config \(c\.json\)/);
});
