import {parsePodKey} from '../../data/k8s/links.js';
import {ownerLink, sandboxLink} from '../../resources/links.js';
import type {KeyEnv, ViewBinding} from '../types.js';
import type {TreeState} from './model.js';
import {fromLatin1, type TreeRow} from './tree-model.js';

type Env = KeyEnv<TreeState>;
const keyOf = (env: Env) => {
  const row = env.model.selection as TreeRow | undefined;
  return row && !row.folder ? fromLatin1(row.path).toString('utf8') : undefined;
};
const v3 = (env: Env) => (env.frame.state.api === 'v2' ? 'the v2 keyspace holds no Kubernetes objects' : undefined);
const needsPodKey = (env: Env) => v3(env) ?? (parsePodKey(keyOf(env) ?? '') ? undefined : 'on a /registry/pods/<namespace>/<name> key');

/** The key tree's cross-links: a pod's key to its sandbox and containers on this node, an object to its owner. */
export const linkBindings: ViewBinding<TreeState>[] = [
  {
    id: 'sandbox',
    keys: ['p'],
    label: 'its pod sandbox here',
    hint: true,
    disabledReason: needsPodKey,
    run: (env) => env.app.runAsync('finding its sandbox', () => sandboxLink(env.app.ctx, keyOf(env)!, 'pod')),
  },
  {
    id: 'containers',
    keys: ['c'],
    label: 'its containers here',
    disabledReason: needsPodKey,
    run: (env) => env.app.runAsync('finding its sandbox', () => sandboxLink(env.app.ctx, keyOf(env)!, 'containers')),
  },
  {
    id: 'owner',
    keys: ['o'],
    label: 'its owner',
    hint: true,
    disabledReason: (env) => v3(env) ?? (keyOf(env) ? undefined : 'on a key, not a folder'),
    run: (env) => env.app.runAsync('reading its owner', () => ownerLink(env.app.ctx, keyOf(env)!)),
  },
];
