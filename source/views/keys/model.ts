import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';
import type {KeyTreeFeed} from './feed.js';
import type {Rows} from './lazy-tree.js';

export interface TreeState {
  /** Folders open in the tree (prefixes ending with the separator). */
  expanded: string[];
  /** Which keyspace: etcd's v3 one, or the old v2 one (read-only). */
  api: 'v3' | 'v2';
  selected: number;
  top: number;
  filter: string;
}

export interface TreeModel extends ViewModel {
  feed: KeyTreeFeed;
  rows: Rows;
  selected: number;
}

const cache = new WeakMap<KeyTreeFeed, {version: number; generation: number; expanded: string[]; filter: string; rows: Rows}>();

/**
 * The rows the tree shows: the open folders' children (v3: spans of the lazy tree, no object per
 * row), or, with a filter, every matching key of the filter's index (loaded whole on the first filter).
 */
function treeRows(feed: KeyTreeFeed, state: TreeState): Rows {
  const version = feed.store.getState().version;
  const generation = feed.tree.generation;
  const hit = cache.get(feed);
  // Rows change with the tree (and the flat index: the version) and what is open, not with every move of the selection.
  if (hit && hit.version === version && hit.generation === generation && hit.expanded === state.expanded && hit.filter === state.filter) return hit.rows;
  let rows: Rows;
  if (state.filter) rows = feed.flat.search('', state.filter);
  else if (feed.api === 'v2') rows = feed.flat.flatten('', new Set(state.expanded));
  else rows = feed.tree.rows(new Set(state.expanded));
  cache.set(feed, {version, generation, expanded: state.expanded, filter: state.filter, rows});
  return rows;
}

export function treeModel(app: AppController, frame: Frame<TreeState>, size: ViewSize): TreeModel | undefined {
  const feed = app.feed<KeyTreeFeed>(frame.id);
  if (!feed) return undefined;
  const rows = treeRows(feed, frame.state);
  const selected = Math.min(frame.state.selected, Math.max(0, rows.length - 1));
  return {feed, rows, selected, count: rows.length, pageSize: Math.max(1, size.height - 2), rowAt: (i) => rows.at(i), selection: rows.at(selected)};
}
