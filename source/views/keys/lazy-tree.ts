import type {KeyInfo, TreeRow} from './tree-model.js';

/**
 * The key tree as etcd is browsed: folders are loaded when opened, not before. Each known folder
 * has its key count (all depths); a loaded one also holds its direct children, sorted (full keys as
 * latin1 strings; sub-folders end with the separator). Every folder records the revision its count
 * and children reflect (`at`): a watch event at or before it is already in them, so loads at
 * different revisions and one watch never count a key twice.
 */
interface Folder {
  prefix: string;
  count: number;
  at: number;
  state: 'unloaded' | 'loading' | 'loaded';
  paths: string[];
  /** Leaves' metadata, beside `paths` (undefined for sub-folders). */
  infos: Array<KeyInfo | undefined>;
  /** Events that came while it was loading: replayed on top of the load (those past its revision). */
  pending?: TreeEvent[];
}

export interface TreeEvent {
  key: string;
  type: 'put' | 'delete';
  revision: number;
  info?: KeyInfo;
  /** +1 a new key (version 1), -1 a deleted one, 0 a changed one. */
  delta: number;
}

export interface LoadedChild {
  path: string;
  folder: boolean;
  count: number;
  info?: KeyInfo;
}

/** Rows on screen without building one object per row: spans of folders' children. */
export interface Rows {
  readonly length: number;
  at(i: number): TreeRow | undefined;
  slice(from: number, to: number): TreeRow[];
}

interface Span {
  folder: Folder;
  depth: number;
  from: number;
  to: number;
  /** Index of its first row among all rows. */
  offset: number;
}

function lowerBound(a: readonly string[], s: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class LazyTree {
  private readonly folders = new Map<string, Folder>();
  private rootFolder: Folder;
  /**
   * Bumped on every change: rows are spans into the folders' arrays, so rows made before a change
   * must not be read after it (the watch changes the tree between a feed's flushes).
   */
  generation = 0;

  constructor(
    readonly sep: string,
    readonly root: string,
  ) {
    this.rootFolder = this.newFolder(root, 0, -1);
  }

  private newFolder(prefix: string, count: number, at: number): Folder {
    const f: Folder = {prefix, count, at, state: 'unloaded', paths: [], infos: []};
    this.folders.set(prefix, f);
    return f;
  }

  clear(): void {
    this.generation++;
    this.folders.clear();
    this.rootFolder = this.newFolder(this.root, 0, -1);
  }

  /** Keys under the root. */
  get size(): number {
    return this.rootFolder.count;
  }

  count(prefix: string): number | undefined {
    return this.folders.get(prefix)?.count;
  }

  stateOf(prefix: string): Folder['state'] | undefined {
    return this.folders.get(prefix)?.state;
  }

  /** Marks a known folder as loading (its children arrive with `addChildren`); false if it is not to be loaded. */
  beginLoad(prefix: string): boolean {
    this.generation++;
    const f = this.folders.get(prefix);
    if (!f || f.state !== 'unloaded') return false;
    f.state = 'loading';
    f.paths = [];
    f.infos = [];
    f.pending = [];
    return true;
  }

  /** Children of a loading folder, in key order after those added before, all read at `revision`. */
  addChildren(prefix: string, children: LoadedChild[], revision: number): void {
    this.generation++;
    const f = this.folders.get(prefix);
    if (!f || f.state !== 'loading') return;
    for (const c of children) {
      f.paths.push(c.path);
      f.infos.push(c.folder ? undefined : c.info);
      if (c.folder) {
        const old = this.folders.get(c.path);
        if (!old || old.at < revision) this.newFolder(c.path, c.count, revision);
      }
    }
  }

  /** The load of `prefix` read everything at `revision` (`total` keys): replay what the watch brought meanwhile. */
  finishLoad(prefix: string, revision: number, total: number): void {
    this.generation++;
    const f = this.folders.get(prefix);
    if (!f || f.state !== 'loading') return;
    const pending = f.pending ?? [];
    f.pending = undefined;
    f.state = 'loaded';
    const later = pending.filter((e) => e.revision > revision);
    // The load may have read ahead of the watch: its count is the one at its revision, plus what came after.
    f.count = total + later.reduce((n, e) => n + e.delta, 0);
    f.at = revision;
    for (const e of later) this.applyIn(f, e, true);
  }

  /** A load that failed: the folder can be opened again. */
  abandonLoad(prefix: string): void {
    this.generation++;
    const f = this.folders.get(prefix);
    if (!f || f.state !== 'loading') return;
    f.state = 'unloaded';
    f.paths = [];
    f.infos = [];
    f.pending = undefined;
  }

  /** The direct child of folder `f` that holds `key` (a leaf: the key itself). */
  private childOf(f: Folder, key: string): {path: string; folder: boolean} {
    const rest = key.slice(f.prefix.length);
    const cut = rest.indexOf(this.sep);
    if (cut < 0 || rest.length === 0) return {path: key, folder: false};
    return {path: f.prefix + rest.slice(0, cut + this.sep.length), folder: true};
  }

  /** A watch event, applied to every folder on the key's path that has not seen its revision. */
  apply(e: TreeEvent): void {
    this.generation++;
    if (!e.key.startsWith(this.root)) return;
    this.applyIn(this.rootFolder, e);
  }

  /** `replay`: events a loading folder kept; its own count has them already. */
  private applyIn(start: Folder, e: TreeEvent, replay = false): void {
    let f: Folder | undefined = start;
    while (f) {
      if (e.revision <= f.at) return;
      if (f.state === 'loading') {
        f.count += e.delta;
        f.pending!.push(e);
        return;
      }
      if (!replay || f !== start) f.count += e.delta;
      if (f.state === 'unloaded') return;
      const child = this.childOf(f, e.key);
      const i = lowerBound(f.paths, child.path);
      const present = f.paths[i] === child.path;
      if (!child.folder) {
        if (e.type === 'put') {
          if (present) f.infos[i] = e.info;
          else {
            f.paths.splice(i, 0, child.path);
            f.infos.splice(i, 0, e.info);
          }
        } else if (present) {
          f.paths.splice(i, 1);
          f.infos.splice(i, 1);
        }
        return;
      }
      let sub = this.folders.get(child.path);
      if (!present) {
        if (e.delta <= 0) return;
        f.paths.splice(i, 0, child.path);
        f.infos.splice(i, 0, undefined);
        sub = this.newFolder(child.path, 0, e.revision - 1);
      }
      if (sub && sub.count + (e.revision > sub.at ? e.delta : 0) <= 0) {
        f.paths.splice(i, 1);
        f.infos.splice(i, 1);
        for (const p of [...this.folders.keys()]) if (p.startsWith(child.path)) this.folders.delete(p);
        return;
      }
      f = sub;
    }
  }

  /** A leaf's metadata, when its folder is loaded. */
  get(key: string): KeyInfo | undefined {
    let f: Folder | undefined = this.rootFolder;
    while (f && f.state === 'loaded') {
      const child = this.childOf(f, key);
      if (!child.folder) {
        const i = lowerBound(f.paths, key);
        return f.paths[i] === key ? f.infos[i] : undefined;
      }
      f = this.folders.get(child.path);
    }
    return undefined;
  }

  private row(span: Span, j: number, expanded: ReadonlySet<string>): TreeRow {
    const {folder: f, depth} = span;
    const path = f.paths[j]!;
    const isFolder = path !== f.prefix && path.endsWith(this.sep);
    return {
      path,
      depth,
      name: path.slice(f.prefix.length) || '(the folder key itself)',
      folder: isFolder,
      count: isFolder ? (this.folders.get(path)?.count ?? 0) : 1,
      info: f.infos[j],
      expanded: isFolder && expanded.has(path),
    };
  }

  /** The rows on screen: the root's children and those of every open folder, as spans (no row objects until asked). */
  rows(expanded: ReadonlySet<string>): Rows {
    const spans: Span[] = [];
    let offset = 0;
    const push = (folder: Folder, depth: number, from: number, to: number) => {
      if (to > from) spans.push({folder, depth, from, to, offset});
      offset += Math.max(0, to - from);
    };
    const open = [...expanded].sort();
    const walk = (f: Folder, depth: number) => {
      let from = 0;
      // The open folders among f's children, found by search: a 250,000-leaf folder is not scanned.
      const lo = lowerBound(open, f.prefix);
      for (let k = lo; k < open.length && open[k]!.startsWith(f.prefix); k++) {
        const p = open[k]!;
        const sub = this.folders.get(p);
        if (!sub || sub === f || sub.state === 'unloaded' || this.childOf(f, p).path !== p) continue;
        const i = lowerBound(f.paths, p);
        if (f.paths[i] !== p) continue;
        push(f, depth, from, i + 1);
        walk(sub, depth + 1);
        from = i + 1;
      }
      push(f, depth, from, f.paths.length);
    };
    walk(this.rootFolder, 0);
    const length = offset;
    const at = (i: number): TreeRow | undefined => {
      if (i < 0 || i >= length) return undefined;
      let lo = 0;
      let hi = spans.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (spans[mid]!.offset <= i) lo = mid;
        else hi = mid - 1;
      }
      const s = spans[lo]!;
      return this.row(s, s.from + (i - s.offset), expanded);
    };
    return {
      length,
      at,
      slice: (from, to) => {
        const out: TreeRow[] = [];
        for (let i = Math.max(0, from); i < Math.min(to, length); i++) out.push(at(i)!);
        return out;
      },
    };
  }
}
