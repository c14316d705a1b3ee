import type {EtcdClient} from '../../data/etcd/client.js';
import {rangeKeys, type KeyMeta} from '../../data/etcd/keys.js';
import {KeyTree, toLatin1, type KeyInfo} from './tree-model.js';
import type {TreeEvent} from './lazy-tree.js';

export interface IndexProgress {
  loaded: number;
  total: number;
  done: boolean;
}

/**
 * What the filter searches: every key under the root in one flat sorted list, read keys-only, paged
 * and pinned to one revision (what `etcdctl get --prefix --keys-only` reads), then kept by the tree's
 * watch. Events that come while it loads are kept and replayed past its revision, so none counts twice.
 */
export class KeyIndex {
  readonly keys: KeyTree;
  private pending?: TreeEvent[];
  private revision = 0;
  private active = false;

  constructor(sep: string) {
    this.keys = new KeyTree(sep);
  }

  get started(): boolean {
    return this.active;
  }

  clear(): void {
    this.active = false;
    this.pending = undefined;
    this.revision = 0;
    this.keys.clear();
  }

  /** Loads it once; `onProgress` after each page and at the end. */
  load(client: EtcdClient, root: string, signal: AbortSignal, infoOf: (k: KeyMeta) => KeyInfo, onProgress: (p: IndexProgress) => void): Promise<void> {
    this.active = true;
    this.pending = [];
    this.keys.clear();
    return rangeKeys(client, root, {
      // etcd 3.4 walks the rest of the range on every page to count it: few large pages (about 6 MB each).
      pageSize: 100_000,
      signal,
      onPage: (keys, progress) => {
        if (signal.aborted) return;
        this.revision = Number(progress.revision);
        this.keys.appendSorted(keys.map((k) => toLatin1(k.key)), keys.map(infoOf));
        onProgress({loaded: progress.loaded, total: progress.total, done: false});
      },
    }).then(
      ({revision}) => {
        if (signal.aborted) return;
        const pending = this.pending ?? [];
        this.pending = undefined;
        this.revision = Number(revision);
        for (const e of pending) this.apply(e);
        onProgress({loaded: this.keys.size, total: this.keys.size, done: true});
      },
      (err) => {
        this.active = false;
        this.pending = undefined;
        throw err;
      },
    );
  }

  /** A watch event: kept while loading, then applied when past the load's revision. */
  apply(e: TreeEvent): void {
    if (!this.active) return;
    if (this.pending) {
      this.pending.push(e);
      return;
    }
    if (e.revision <= this.revision) return;
    if (e.type === 'put') this.keys.put(e.key, e.info!);
    else this.keys.delete(e.key);
  }
}
