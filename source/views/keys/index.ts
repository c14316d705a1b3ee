import type {AppController} from '../../store/app-store.js';
import type {Opening, ViewDef} from '../types.js';
import {treeBindings} from './controller.js';
import {KeyTreeFeed} from './feed.js';
import {treeModel, type TreeState} from './model.js';
import {KeyTreeView} from './view.js';

/** The etcd key tree, of the v3 keyspace (`:keys`) or the old v2 one (`:keys2`, read-only). */
function keyTreeView(id: string, aliases: string[], api: 'v3' | 'v2'): ViewDef<TreeState> {
  return {
    id,
    aliases,
    title: api === 'v2' ? 'etcd v2 keys' : 'etcd keys',
    open: (app) => openTree(app, {api, expanded: [], selected: 0, top: 0, filter: ''}),
    // A cross-link: the tree opened at one key (its folders open), with what the link found said above it.
    openWith: api === 'v3' ? (app, p: KeyLink) => openTree(app, {api, expanded: foldersOf(p.target), selected: 0, top: 0, filter: '', target: p.target, note: p.note}, p.crumb) : undefined,
    component: KeyTreeView,
    model: (app, frame, size) => treeModel(app, frame, size) ?? {count: 0, pageSize: 1, rowAt: () => undefined},
    bindings: () => treeBindings,
    filter: {label: 'filter', get: (s) => s.filter, set: (_s, text) => ({filter: text, selected: 0, top: 0})},
    heading: () => (api === 'v2' ? 'etcd v2 keys' : 'etcd keys'),
  };

  function openTree(app: AppController, state: TreeState, crumb = id): Opening<TreeState> {
    const feed = new KeyTreeFeed(app.ctx.etcd, '', '/', {api, refreshMs: app.ctx.config.refreshMs, onAnswered: () => app.health.markUp('etcd')});
    // The header's etcd revision follows each watch batch (v2 has no revision).
    const follow = () => {
      const {revision} = feed.store.getState();
      if (revision) app.health.takeEtcdRevision(revision);
    };
    const unfollow = api === 'v3' ? feed.store.subscribe(follow) : () => {};
    feed.start();
    return {frame: {view: id, crumb, state}, feeds: [feed, {stop: unfollow}]};
  }
}

/** What a cross-link opens the key tree with. */
export interface KeyLink {
  target: string;
  note?: string;
  crumb?: string;
}

/** The folders above a key, as the tree names them (`/`, `/registry/`, `/registry/pods/`, ...). */
export function foldersOf(key: string, sep = '/'): string[] {
  const out: string[] = [];
  for (let i = key.indexOf(sep); i >= 0 && i < key.length - 1; i = key.indexOf(sep, i + 1)) out.push(key.slice(0, i + 1));
  return out;
}

export const keysView = keyTreeView('keys', ['etcd', 'kv'], 'v3');
export const keys2View = keyTreeView('keys2', [], 'v2');
