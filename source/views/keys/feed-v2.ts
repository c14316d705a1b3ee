import {v2List, type V2Node} from '../../data/etcd/v2.js';
import {KeyTree, toLatin1} from './tree-model.js';

/**
 * The old v2 keyspace, listed whole (v2 has no revision to watch from, so `:keys2` lists it again
 * on the relist timer): a flat KeyTree of every key, and each key's value.
 */
export async function listV2(endpoint: string, root: string, tree: KeyTree, values: Map<string, Buffer>): Promise<number> {
  const rootNode = await v2List(endpoint, root || '/', {recursive: true});
  const leaves: V2Node[] = [];
  const walk = (n: V2Node) => {
    if (!n.dir) leaves.push(n);
    for (const c of n.nodes ?? []) walk(c);
  };
  walk(rootNode);
  leaves.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  tree.clear();
  values.clear();
  const keys = leaves.map((n) => toLatin1(Buffer.from(n.key, 'utf8')));
  leaves.forEach((n, i) => values.set(keys[i]!, Buffer.from(n.value ?? '', 'utf8')));
  tree.appendSorted(
    keys,
    leaves.map((n) => ({version: 0, createRevision: n.createdIndex ?? 0, modRevision: n.modifiedIndex ?? 0, lease: n.ttl ? `ttl ${n.ttl}s` : '0'})),
  );
  return keys.length;
}
