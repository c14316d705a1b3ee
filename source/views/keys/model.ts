import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';
import type {KeyTreeFeed} from './feed.js';
import type {TreeRow} from './tree-model.js';

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
  rows: TreeRow[];
  selected: number;
  /** The cross-link's target is on screen now, at `selected`. */
  targetFound: boolean;
}

const cache = new WeakMap<KeyTreeFeed, {version: number; expanded: string[]; filter: string; rows: TreeRow[]}>();

/** The rows the tree shows: the open folders' children, or, with a filter, every matching key. */
function treeRows(feed: KeyTreeFeed, state: TreeState): TreeRow[] {
  const version = feed.store.getState().version;
  const hit = cache.get(feed);
  // Rows change with the tree's version and what is open, not with every move of the selection.
  if (hit && hit.version === version && hit.expanded === state.expanded && hit.filter === state.filter) return hit.rows;
  const rows = state.filter ? feed.tree.search('', state.filter) : feed.tree.flatten('', new Set(state.expanded));
  cache.set(feed, {version, expanded: state.expanded, filter: state.filter, rows});
  return rows;
}

export function treeModel(app: AppController, frame: Frame<TreeState>, size: ViewSize): TreeModel | undefined {
  const feed = app.feed<KeyTreeFeed>(frame.id);
  if (!feed) return undefined;
  const rows = treeRows(feed, frame.state);
  const at = frame.state.target === undefined ? -1 : rows.findIndex((r) => r.path === frame.state.target);
  const selected = at >= 0 ? at : Math.min(frame.state.selected, Math.max(0, rows.length - 1));
  return {feed, rows, selected, targetFound: at >= 0, count: rows.length, pageSize: Math.max(1, size.height - 2 - (frame.state.note ? 1 : 0)), rowAt: (i) => rows[i], selection: rows[selected]};
}
