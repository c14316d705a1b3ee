// Images in and out of containerd: import an archive, export an OCI tarball, tag.
import path from 'node:path';
import {tagImage} from '../../data/containerd/content-write.js';
import {exportImage} from '../../data/containerd/image-export.js';
import {importArchive, type ImportProgress} from '../../data/containerd/image-import.js';
import {UndockError} from '../../data/errors.js';
import {formatBytes} from '../format.js';
import type {Action, ActionEnv, ActionResult} from '../types.js';
import {CRI_NAMESPACE, type ImageRow} from './source.js';

/** Where the namespace's images are unpacked: CRI's own snapshotter in k8s.io, else what ctr would use. */
async function snapshotterFor(env: ActionEnv): Promise<string> {
  if (env.scope.namespace === CRI_NAMESPACE) {
    const info = await env.ctx.cri.statusInfo().catch(() => ({}) as Record<string, unknown>);
    const s = (info.config as {containerd?: {snapshotter?: string}} | undefined)?.containerd?.snapshotter;
    if (s) return s;
  }
  return process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
}

function importLine(file: string, p: ImportProgress): string {
  if (p.stage === 'reading') return `importing ${file}: reading the archive`;
  if (p.stage === 'unpacking') return `importing ${file}: unpacking layer ${p.layers?.[0] ?? 0}/${p.layers?.[1] ?? 0}`;
  return `importing ${file}: ${formatBytes(p.bytes)} of ${formatBytes(p.total)}, ${p.blobs}/${p.blobCount} blobs`;
}

async function runImport(file: string, env: ActionEnv): Promise<ActionResult> {
  const target = path.resolve(file);
  const snapshotter = await snapshotterFor(env);
  env.report(`importing ${target}`);
  const started = Date.now();
  const res = await importArchive(env.ctx.containerd, env.scope.namespace, target, {snapshotter, progress: (p) => env.report(importLine(target, p))});
  const names = res.images.map((i) => i.name).join(', ');
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  return {
    kind: 'status',
    text: `imported ${names} (${res.format} archive) into ${env.scope.namespace} in ${secs} s: ${formatBytes(res.bytesWritten)} written, ${res.blobsPresent} blob(s) already there, unpacked on ${snapshotter}`,
  };
}

/** `i` or `:import FILE`: a `docker save` archive or an OCI layout tarball, as `ctr images import`. */
export const importAction: Action<ImageRow> = {
  id: 'import',
  keys: ['i'],
  label: 'import',
  hint: true,
  dangerous: true,
  noRow: true,
  run: (_r, env): Promise<ActionResult> | ActionResult => {
    const given = env.args?.join(' ').trim();
    if (given) return runImport(given, env);
    return {
      kind: 'form',
      title: `Import an image archive into namespace ${env.scope.namespace}`,
      lines: ['a `docker save` archive (manifest.json, layer tars) or an OCI layout tarball (index.json, blobs/), gzip or not'],
      submitLabel: 'import',
      fields: [{id: 'file', label: 'file', value: '', hint: 'e.g. ./app.tar'}],
      submit: async (v) => {
        const file = v.file!.trim();
        if (!file) throw new UndockError('invalid', 'import: no file given');
        return runImport(file, env);
      },
    };
  },
};

const fileSafe = (s: string) => s.replace(/[^a-zA-Z0-9_.-]+/g, '-');

/** `x`: the image as an OCI tarball (`ctr images export`), which `ctr images import` and undock read back. */
export const exportAction: Action<ImageRow> = {
  id: 'export',
  keys: ['x'],
  label: 'export',
  hint: true,
  run: (r, env): ActionResult => ({
    kind: 'form',
    title: `Export ${r.ref} to an OCI tarball`,
    lines: ['the index, manifests, config and layers the content store holds; platforms not pulled are left out'],
    submitLabel: 'export',
    fields: [{id: 'file', label: 'file', value: path.resolve(`${fileSafe(r.repository.split('/').pop()!)}-${fileSafe(r.tag.split(',')[0] || 'latest')}.tar`)}],
    submit: async (v) => {
      const file = path.resolve(v.file!.trim());
      const res = await exportImage(env.ctx.containerd, env.scope.namespace, r.ref, file, (b) => env.report(`exporting ${r.ref}: ${formatBytes(b)}`));
      const skipped = res.skipped ? `; ${res.skipped} platform manifest(s) not here were left out` : '';
      return {kind: 'status', text: `exported ${r.ref} to ${file}: ${res.blobs} blobs, ${formatBytes(res.bytes)}${skipped}`};
    },
  }),
};

/** `t`: a new name for the same target (`ctr images tag`). A taken name is refused, not overwritten. */
export const tagAction: Action<ImageRow> = {
  id: 'tag',
  keys: ['t'],
  label: 'tag',
  hint: true,
  dangerous: true,
  run: (r, env): ActionResult => ({
    kind: 'form',
    title: `Tag ${r.ref} with a new name`,
    lines: [`same target ${r.digest}, namespace ${env.scope.namespace}`],
    submitLabel: 'tag',
    fields: [{id: 'name', label: 'new name', value: '', hint: 'e.g. localhost/team/app:2.0'}],
    submit: async (v) => {
      const name = v.name!.trim();
      if (!name) throw new UndockError('invalid', 'tag: no new name given');
      const source = await env.ctx.containerd.getImage(env.scope.namespace, r.ref);
      try {
        await tagImage(env.ctx.containerd, env.scope.namespace, source, name);
      } catch (e) {
        if (e instanceof UndockError && /already exists/.test(e.message)) {
          throw new UndockError('invalid', `tag: image ${name} already exists in ${env.scope.namespace}`, 'remove it first, or pick another name');
        }
        throw e;
      }
      return {kind: 'status', text: `tagged ${r.ref} as ${name}`};
    },
  }),
};
