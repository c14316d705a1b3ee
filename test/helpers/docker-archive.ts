// Builds a `docker save` archive without docker: manifest.json, repositories, <id>/layer.tar, <config>.json.
import {createHash} from 'node:crypto';
import fs from 'node:fs';

interface Entry {
  name: string;
  type: 'file' | 'dir' | 'symlink';
  data?: Buffer;
  link?: string;
  mode?: number;
}

/** A plain ustar archive, written here independently of undock's own tar code. */
export function tarBuffer(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0, 100);
    h.write(((e.mode ?? (e.type === 'file' ? 0o755 : 0o755)) & 0o7777).toString(8).padStart(7, '0') + '\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    const size = e.type === 'file' ? e.data!.length : 0;
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write((1700000000).toString(8).padStart(11, '0') + '\0', 136);
    h.write('        ', 148);
    h.write(e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2', 156);
    if (e.link) h.write(e.link, 157, 100);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    parts.push(h);
    if (size) {
      parts.push(e.data!);
      parts.push(Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A one-layer busybox image as `docker save` writes it (layers are uncompressed tars), tagged `repoTag`.
 * Returns the config digest (what Docker calls the image ID) and the layer's diff ID.
 */
export function writeDockerArchive(file: string, repoTag: string, cmd: string[], busybox = '/bin/busybox'): {configDigest: string; diffId: string} {
  const applets = ['sh', 'echo', 'sleep', 'cat', 'ls', 'httpd', 'true'];
  const layer = tarBuffer([
    {name: 'bin/', type: 'dir'},
    {name: 'bin/busybox', type: 'file', data: fs.readFileSync(busybox)},
    ...applets.map((a) => ({name: `bin/${a}`, type: 'symlink' as const, link: 'busybox'})),
    {name: 'tmp/', type: 'dir', mode: 0o1777},
    {name: 'www/', type: 'dir'},
    {name: 'www/index.html', type: 'file', data: Buffer.from('built by a docker save archive\n'), mode: 0o644},
  ]);
  const diffId = `sha256:${sha(layer)}`;
  const config = Buffer.from(
    JSON.stringify({
      architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
      os: 'linux',
      config: {Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: cmd},
      rootfs: {type: 'layers', diff_ids: [diffId]},
      history: [{created: '2023-11-14T22:13:20Z', created_by: 'undock test'}],
    }),
  );
  const configHex = sha(config);
  const layerId = sha(Buffer.from(`${diffId} layer`));
  const [repo, tag] = [repoTag.slice(0, repoTag.lastIndexOf(':')), repoTag.slice(repoTag.lastIndexOf(':') + 1)];
  const archive = tarBuffer([
    {name: `${layerId}/`, type: 'dir'},
    {name: `${layerId}/VERSION`, type: 'file', data: Buffer.from('1.0'), mode: 0o644},
    {name: `${layerId}/json`, type: 'file', data: Buffer.from(JSON.stringify({id: layerId})), mode: 0o644},
    {name: `${layerId}/layer.tar`, type: 'file', data: layer, mode: 0o644},
    {name: `${configHex}.json`, type: 'file', data: config, mode: 0o644},
    {name: 'manifest.json', type: 'file', data: Buffer.from(JSON.stringify([{Config: `${configHex}.json`, RepoTags: [repoTag], Layers: [`${layerId}/layer.tar`]}])), mode: 0o644},
    {name: 'repositories', type: 'file', data: Buffer.from(JSON.stringify({[repo]: {[tag]: layerId}})), mode: 0o644},
  ]);
  fs.writeFileSync(file, archive);
  return {configDigest: `sha256:${configHex}`, diffId};
}
