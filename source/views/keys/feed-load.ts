import type {EtcdClient} from '../../data/etcd/client.js';
import {listChildren} from '../../data/etcd/discover.js';
import type {WatchEvent} from '../../data/etcd/watch.js';
import {fromLatin1, toLatin1, type KeyInfo} from './tree-model.js';
import type {LazyTree, TreeEvent} from './lazy-tree.js';

export function infoOf(k: {version: number; createRevision: string; modRevision: string; lease?: string}): KeyInfo {
  return {version: k.version, createRevision: Number(k.createRevision), modRevision: Number(k.modRevision), lease: k.lease ?? '0'};
}

export function treeEvent(e: WatchEvent): TreeEvent {
  const put = e.type === 'put';
  // A put of version 1 creates the key; any other put changes one; a delete event is of a key that was there.
  return {key: toLatin1(e.key), type: e.type, revision: Number(e.modRevision), info: put ? infoOf(e) : undefined, delta: put ? (e.version === 1 ? 1 : 0) : -1};
}

/** Lists a folder the tree marked loading into it, each answer shown (`onChange`) as it comes; resolves to the revision read at. */
export async function loadFolder(client: EtcdClient, tree: LazyTree, prefix: string, signal: AbortSignal, onChange: () => void): Promise<string> {
  const {revision, total} = await listChildren(client, fromLatin1(prefix), fromLatin1(tree.sep), {
    signal,
    // The root's count is what this load finds; a folder's is its parent's count of it.
    expected: prefix === tree.root ? undefined : tree.count(prefix),
    onBatch: (children, progress) => {
      if (signal.aborted) return;
      const rev = Number(progress.revision);
      tree.addChildren(
        prefix,
        children.map((c) => ({path: toLatin1(c.key), folder: c.folder, count: c.count, info: c.meta ? infoOf(c.meta) : undefined})),
        rev,
      );
      onChange();
    },
  });
  if (!signal.aborted) tree.finishLoad(prefix, Number(revision), total);
  return revision;
}
