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
  /** A key to select once the tree has it (a cross-link opened the tree at it). */
  target?: string;
  /** Said above the tree: what the cross-link found (a uid mismatch, whose owner this is). */
  note?: string;
  /** The key whose Secret data the preview shows decoded (x); nothing else is ever revealed. */
  reveal?: string;
}

export interface TreeModel extends ViewModel {
  feed: KeyTreeFeed;
  rows: Rows;
  selected: number;
  /** The cross-link's target is on screen now, at `selected`. */
  targetFound: boolean;
}

/** Where the target key is among the rows (looked for only while a cross-link's target is pending). */
function indexOfPath(rows: Rows, path: string): number {
  for (let i = 0; i < rows.length; i++) if (rows.at(i)?.path === path) return i;
  return -1;
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
  const at = frame.state.target === undefined ? -1 : indexOfPath(rows, frame.state.target);
  const selected = at >= 0 ? at : Math.min(frame.state.selected, Math.max(0, rows.length - 1));
  const pageSize = Math.max(1, size.height - 2 - (frame.state.note ? 1 : 0));
  return {feed, rows, selected, targetFound: at >= 0, count: rows.length, pageSize, rowAt: (i) => rows.at(i), selection: rows.at(selected)};
}
