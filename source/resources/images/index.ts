import type {FilesystemUsage} from '../../data/cri/images.js';
import {formatBytes} from '../format.js';
import type {DataContext, ResourceDef} from '../types.js';
import {sameNamespace} from '../event-scope.js';
import {imageActions} from './actions.js';
import {imageColumns} from './columns.js';
import {pruneAction} from './prune.js';
import {loadImages, type ImageRow} from './source.js';
import {exportAction, importAction, tagAction} from './transfer.js';

const FS_MEMO = 'images/imagefs';

/** CRI ImageFsInfo (crictl imagefsinfo), read with each load; the title says it. A runtime without it says nothing. */
async function rememberImageFs(ctx: DataContext): Promise<void> {
  try {
    ctx.memo.set(FS_MEMO, await ctx.cri.imageFsInfo());
  } catch {
    ctx.memo.delete(FS_MEMO);
  }
}

function imageFsNote(ctx: DataContext): string | undefined {
  const fs = ctx.memo.get(FS_MEMO) as FilesystemUsage[] | undefined;
  if (!fs?.length) return undefined;
  return fs
    .map((f) => `image fs ${f.usedBytes !== undefined ? formatBytes(f.usedBytes) : '?'}, ${f.inodesUsed ?? '?'} inodes (${f.mountpoint.split('/').pop()})`)
    .join('; ');
}

export const images: ResourceDef<ImageRow> = {
  id: 'images',
  title: 'Images',
  aliases: ['img', 'i', 'image'],
  daemon: 'containerd',
  namespaced: true,
  followsEvents: sameNamespace,
  columns: imageColumns,
  defaultSort: {column: 'name'},
  rowKey: (r) => r.ref,
  labels: (r) => r.labels,
  titleNote: imageFsNote,
  load: async (ctx, scope) => (await Promise.all([loadImages(ctx, scope.namespace), rememberImageFs(ctx)]))[0],
  actions: [...imageActions, importAction, exportAction, tagAction, pruneAction],
};
