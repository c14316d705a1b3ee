import {listContainers} from '../../data/containerd/containers.js';
import {readImageDocuments} from '../../data/containerd/image-config.js';
import {pullImage, type PullProgress} from '../../data/cri/pull.js';
import {UndockError} from '../../data/errors.js';
import {containerName} from '../containers/source.js';
import {confirm, describeAction} from '../confirm.js';
import {formatBytes} from '../format.js';
import type {Action, ActionResult, DataContext} from '../types.js';
import {runAction} from './run-form.js';
import {CRI_NAMESPACE, type ImageRow} from './source.js';

/** The image CRI runs every pod's sandbox from, as the CRI runtime's own status reports it. */
async function sandboxImage(ctx: DataContext): Promise<string | undefined> {
  try {
    const info = await ctx.cri.statusInfo();
    const config = info.config as {sandboxImage?: string} | undefined;
    return config?.sandboxImage;
  } catch {
    return undefined;
  }
}

function progressLine(ref: string, p: PullProgress): string {
  const layers = p.layers.length ? `, ${p.layers.filter((l) => l.offset >= l.total && l.total > 0).length}/${p.layers.length} blobs` : '';
  return `pulling ${ref}: ${formatBytes(p.bytes)}${p.total ? ` of ${formatBytes(p.total)}` : ''}${layers}`;
}

/** `u`: the containers and pods that use the image, by every name it has (k9s's used-by). */
const usedByAction: Action<ImageRow> = {
  id: 'used-by',
  keys: ['u'],
  label: 'used by',
  hint: true,
  run: (r) => {
    const names = [...new Set([r.ref, ...r.tags, ...r.repoDigests, ...(r.imageId ? [r.imageId] : [])])];
    return {kind: 'push', resource: 'used-by', params: {image: r.ref, names: names.join('\n')}, crumb: `used by ${r.ref}`};
  },
};

export const imageActions: Action<ImageRow>[] = [
  usedByAction,
  describeAction(
    (r) => `image ${r.ref}`,
    async (r, {ctx, scope}) => {
      const image = await ctx.containerd.getImage(scope.namespace, r.ref);
      const {index, manifest, config} = await readImageDocuments(ctx.containerd, scope.namespace, image, 'host-or-first');
      const names = r.imageId ? {id: r.imageId, tags: r.tags, repoDigests: r.repoDigests} : {};
      return {...names, image, size: r.size, index, manifest, config};
    },
  ),
  runAction,
  {
    id: 'remove',
    keys: ['ctrl+d'],
    label: 'remove',
    hint: true,
    dangerous: true,
    run: async (r, {ctx, scope}): Promise<ActionResult> => {
      // In k8s.io a row is a whole image: CRI removes it with every tag and digest, as crictl rmi does.
      const whole = scope.namespace === CRI_NAMESPACE && r.imageId !== undefined;
      const names = whole ? [...r.tags, ...r.repoDigests] : [r.ref];
      const filters = names.map((n) => `image==${n}`);
      const users = (await listContainers(ctx.containerd, scope.namespace, filters)).map(containerName);
      const lines = [`image ${r.ref} in namespace ${scope.namespace}`, `digest ${r.digest}`];
      if (whole && names.length > 1) lines.push(`with all its names (CRI removes the whole image): ${names.join(', ')}`);
      lines.push(users.length ? `still used by ${users.length} container(s): ${users.join(', ')} (they keep their snapshots)` : 'no container uses it');
      const remove = async () => {
        if (whole) await ctx.cri.removeImage(r.imageId!);
        else await ctx.containerd.deleteImage(scope.namespace, r.ref);
        return `removed image ${r.ref}`;
      };
      const first = confirm(`Remove image ${r.ref}?`, lines, 'Remove', remove);
      const sandbox = scope.namespace === CRI_NAMESPACE ? await sandboxImage(ctx) : undefined;
      if (sandbox && names.includes(sandbox)) {
        // Without its sandbox image CRI cannot start any new pod: ask twice.
        return {
          ...first,
          title: `Remove image ${r.ref}? It is the CRI sandbox (pause) image`,
          lines: [...lines, 'CRI starts every pod from this image: no new pod can start until it is back.'],
          confirmLabel: 'Continue',
          run: async () =>
            confirm(`Really remove the CRI sandbox image ${r.ref}?`, ['This is the second confirmation.', ...lines], 'Remove sandbox image', remove),
        };
      }
      return first;
    },
  },
  {
    id: 'pull',
    keys: ['p'],
    label: 'pull',
    hint: true,
    dangerous: true,
    noRow: true,
    run: (_r, {ctx, report}): ActionResult => ({
      kind: 'form',
      title: 'Pull an image through CRI (into namespace k8s.io)',
      submitLabel: 'pull',
      fields: [{id: 'ref', label: 'reference', value: '', hint: 'e.g. 127.0.0.1:5000/team/app:1.0'}],
      submit: async (v) => {
        const ref = v.ref!.trim();
        if (!ref) throw new UndockError('invalid', 'pull: no image reference given');
        report(`pulling ${ref}`);
        const started = Date.now();
        await pullImage(ctx.cri, ctx.containerd, ref, (p) => report(progressLine(ref, p)));
        return {kind: 'status', text: `pulled ${ref} into k8s.io in ${((Date.now() - started) / 1000).toFixed(1)} s`};
      },
    }),
  },
];
