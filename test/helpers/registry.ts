import {createHash, randomBytes} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {ctr} from './ctr.js';
import {sandboxEnv} from './sandbox-env.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCRIPT = path.join(repoRoot, 'scripts/sandbox/registry.sh');
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';

export interface TestRegistry {
  /** host:port on 127.0.0.1. */
  address: string;
  dir: string;
}

/** Starts a private docker-registry (scripts/sandbox/registry.sh) in a folder of its own under the sandbox. */
export function startRegistry(name = `registry-test-${process.pid}`): TestRegistry {
  const dir = path.join(sandboxEnv().sandbox, name);
  const env = {...process.env, REGISTRY_DIR: dir};
  execFileSync('bash', [SCRIPT, 'up'], {env, stdio: ['ignore', 'ignore', 'inherit']});
  const line = execFileSync('bash', [SCRIPT, 'env'], {env, encoding: 'utf8'});
  const address = /UNDOCK_REGISTRY=(\S+)/.exec(line)?.[1];
  if (!address) throw new Error(`registry.sh env printed no address: ${line}`);
  return {address, dir};
}

/** Stops the registry and removes its folder. */
export function stopRegistry(registry: TestRegistry): void {
  execFileSync('bash', [SCRIPT, 'down', '--purge'], {
    env: {...process.env, REGISTRY_DIR: registry.dir},
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Pushes an image the sandbox's k8s.io namespace holds (busybox by default) with ctr, over plain HTTP. */
export function pushWithCtr(registry: TestRegistry, repoTag: string, localRef = 'docker.io/library/busybox:latest'): string {
  const target = `${registry.address}/${repoTag}`;
  ctr('k8s.io', 'images', 'push', '--plain-http', target, localRef);
  return target;
}

export interface PushedImage {
  /** The reference on the registry that pushed it, e.g. 127.0.0.1:PORT/undock/busybox:pull-1a2b. */
  ref: string;
  manifestDigest: string;
  configDigest: string;
  layerDigest: string;
  layerSize: number;
}

/**
 * Pushes, through the registry's HTTP API, an image made of a base image already in that repository
 * plus one new layer of random bytes. Its new layer and config exist nowhere else, so a pull has to
 * fetch them (a pull of plain busybox finds every blob on the node already and transfers nothing).
 */
export async function pushImageWithRandomLayer(
  registry: TestRegistry,
  repo: string,
  baseTag: string,
  tag: string,
  layerBytes: number,
): Promise<PushedImage> {
  const base = `http://${registry.address}/v2/${repo}`;
  const manifestRes = await fetch(`${base}/manifests/${baseTag}`, {headers: {Accept: OCI_MANIFEST}});
  if (!manifestRes.ok) throw new Error(`GET manifest ${repo}:${baseTag}: HTTP ${manifestRes.status}`);
  const baseManifest = (await manifestRes.json()) as {
    schemaVersion: number;
    mediaType?: string;
    config: {mediaType: string; digest: string; size: number};
    layers: Array<{mediaType: string; digest: string; size: number}>;
  };
  const configRes = await fetch(`${base}/blobs/${baseManifest.config.digest}`);
  if (!configRes.ok) throw new Error(`GET config blob: HTTP ${configRes.status}`);
  const config = (await configRes.json()) as {rootfs: {diff_ids: string[]}; history?: unknown[]};

  const layer = randomLayerTar(layerBytes);
  const layerDigest = digestOf(layer);
  await uploadBlob(base, layer, layerDigest);

  const now = new Date().toISOString();
  config.rootfs.diff_ids.push(layerDigest); // an uncompressed layer: its diff id is its digest
  config.history = [...(config.history ?? []), {created: now, created_by: 'undock test: ADD random bytes'}];
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = digestOf(configBytes);
  await uploadBlob(base, configBytes, configDigest);

  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: {mediaType: OCI_CONFIG, digest: configDigest, size: configBytes.length},
    layers: [...baseManifest.layers, {mediaType: OCI_LAYER_TAR, digest: layerDigest, size: layer.length}],
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const put = await fetch(`${base}/manifests/${tag}`, {
    method: 'PUT',
    headers: {'Content-Type': OCI_MANIFEST},
    body: manifestBytes,
  });
  if (put.status !== 201) throw new Error(`PUT manifest ${repo}:${tag}: HTTP ${put.status} ${await put.text()}`);
  return {
    ref: `${registry.address}/${repo}:${tag}`,
    manifestDigest: digestOf(manifestBytes),
    configDigest,
    layerDigest,
    layerSize: layer.length,
  };
}

async function uploadBlob(base: string, blob: Buffer, digest: string): Promise<void> {
  const start = await fetch(`${base}/blobs/uploads/`, {method: 'POST'});
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) throw new Error(`POST blob upload: HTTP ${start.status}`);
  const url = new URL(location, base);
  url.searchParams.set('digest', digest);
  const put = await fetch(url, {method: 'PUT', headers: {'Content-Type': 'application/octet-stream'}, body: new Uint8Array(blob)});
  if (put.status !== 201) throw new Error(`PUT blob ${digest}: HTTP ${put.status} ${await put.text()}`);
}

function digestOf(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

/** A layer tar holding one file of random bytes, built by tar itself. */
function randomLayerTar(bytes: number): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'undock-layer-'));
  try {
    fs.mkdirSync(path.join(dir, 'root'));
    fs.writeFileSync(path.join(dir, 'root', 'undock-pulltest.bin'), randomBytes(bytes));
    const tarFile = path.join(dir, 'layer.tar');
    execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-cf', tarFile, '-C', path.join(dir, 'root'), 'undock-pulltest.bin']);
    return fs.readFileSync(tarFile);
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

export interface ThrottledProxy {
  /** host:port on 127.0.0.1 that forwards to the registry. */
  address: string;
  close(): Promise<void>;
}

/**
 * A TCP forwarder on loopback that passes the registry's answers on at a fixed rate: a slow
 * network link, so a pull lasts long enough for progress polled every 100 ms to be seen.
 */
export function throttledProxy(target: string, bytesPerSecond: number): Promise<ThrottledProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      upstream.pause();
      client.write(chunk);
      setTimeout(() => upstream.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port: own} = server.address() as net.AddressInfo;
      resolve({
        address: `127.0.0.1:${own}`,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
