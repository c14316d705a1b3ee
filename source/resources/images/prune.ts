// Prune preview: the images nothing uses, with CRI's sandbox image and pinned images protected.
import {listContainers} from '../../data/containerd/containers.js';
import {formatBytes} from '../format.js';
import {containerName} from '../names.js';
import type {Action, ActionResult, DataContext} from '../types.js';
import {loadImages, CRI_NAMESPACE, type ImageRow} from './source.js';

/** containerd 1.7's CRI marks pinned images with this label; 1.6 answers CRI's `pinned` for the sandbox image only. */
const PINNED_LABEL = 'io.cri-containerd.pinned';

export interface PrunePlan {
  remove: ImageRow[];
  used: Array<{row: ImageRow; by: string[]}>;
  protectedRows: Array<{row: ImageRow; why: string}>;
}

async function sandboxImage(ctx: DataContext): Promise<string | undefined> {
  const info = await ctx.cri.statusInfo().catch(() => ({}) as Record<string, unknown>);
  return (info.config as {sandboxImage?: string} | undefined)?.sandboxImage;
}

const namesOf = (r: ImageRow) => [...new Set([r.ref, ...r.tags, ...r.repoDigests, ...(r.imageId ? [r.imageId] : [])])];

/** Which rows would go, and why the others stay. Containers in the namespace (CRI's pods and containers included) count as users. */
export async function planPrune(ctx: DataContext, ns: string): Promise<PrunePlan> {
  const [rows, containers, cri] = await Promise.all([
    loadImages(ctx, ns),
    listContainers(ctx.containerd, ns),
    ns === CRI_NAMESPACE ? ctx.cri.listImages().catch(() => []) : Promise.resolve([]),
  ]);
  const sandbox = ns === CRI_NAMESPACE ? await sandboxImage(ctx) : undefined;
  const plan: PrunePlan = {remove: [], used: [], protectedRows: []};
  for (const row of rows) {
    const names = namesOf(row);
    const by = containers.filter((c) => names.includes(c.image)).map(containerName);
    const pinned = cri.some((i) => i.pinned && (i.id === row.imageId || i.repo_tags.some((t) => names.includes(t)))) || row.labels[PINNED_LABEL] === 'pinned';
    if (sandbox && names.includes(sandbox)) plan.protectedRows.push({row, why: 'the CRI sandbox (pause) image'});
    else if (pinned) plan.protectedRows.push({row, why: 'pinned'});
    else if (by.length) plan.used.push({row, by});
    else plan.remove.push(row);
  }
  return plan;
}

/** Removes exactly the rows the dialog listed, not a fresh computation (an image arriving meanwhile stays). */
async function removeRows(ctx: DataContext, ns: string, rows: ImageRow[]): Promise<string> {
  const failed: string[] = [];
  for (const r of rows) {
    try {
      if (ns === CRI_NAMESPACE && r.imageId) await ctx.cri.removeImage(r.imageId);
      else await ctx.containerd.deleteImage(ns, r.ref);
    } catch (e) {
      failed.push(`${r.ref} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const done = `removed ${rows.length - failed.length} unused image(s) from ${ns}`;
  return failed.length ? `${done}; could not remove ${failed.join(', ')}` : done;
}

/** `U` (prune Unused): the preview is the dialog; nothing goes before it is confirmed. */
export const pruneAction: Action<ImageRow> = {
  id: 'prune',
  keys: ['U'],
  label: 'prune unused',
  hint: true,
  dangerous: true,
  noRow: true,
  run: async (_r, {ctx, scope}): Promise<ActionResult> => {
    const ns = scope.namespace;
    const plan = await planPrune(ctx, ns);
    const kept = [
      ...plan.protectedRows.map((p) => `  keep ${p.row.ref}: protected, ${p.why}`),
      ...plan.used.map((u) => `  keep ${u.row.ref}: used by ${u.by.join(', ')}`),
    ];
    if (plan.remove.length === 0) {
      return {kind: 'status', text: `nothing to prune in ${ns}: every image is used or protected (${kept.length} kept)`};
    }
    const total = plan.remove.reduce((n, r) => n + (r.size ?? 0), 0);
    const lines = [
      `remove ${plan.remove.length} image(s) no container or pod uses (${formatBytes(total)}):`,
      ...plan.remove.map((r) => `  remove ${r.ref}${r.size !== undefined ? ` (${formatBytes(r.size)})` : ''}`),
      ...kept,
      ns === CRI_NAMESPACE ? 'each k8s.io image goes with all its tags and digests, as crictl rmi does' : 'content goes with the next garbage collection',
    ];
    return {
      kind: 'confirm',
      title: `Prune ${plan.remove.length} unused image(s) in ${ns}?`,
      lines,
      confirmLabel: 'Remove these',
      run: async () => ({kind: 'status', text: await removeRows(ctx, ns, plan.remove)}),
    };
  },
};
