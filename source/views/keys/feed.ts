import type {EtcdClient} from '../../data/etcd/client.js';
import {leafValueSizes} from '../../data/etcd/keys.js';
import {KeyPreview, type PreviewState} from './feed-preview.js';
import {KeyIndex} from './feed-index.js';
import {watchPrefix} from '../../data/etcd/watch.js';
import {infoOf, loadFolder, treeEvent} from './feed-load.js';
import {errorLine} from '../../data/errors.js';
import {KeyTree, fromLatin1, type KeyInfo} from './tree-model.js';
import {LazyTree} from './lazy-tree.js';
import {listV2} from './feed-v2.js';
import {createStore, type Store} from '../../store/store.js';
import {flushFrameSoon} from '../../terminal/frame-flush.js';
export {PREVIEW_TEXT_BYTES, type PreviewState} from './feed-preview.js';

export interface KeyTreeState {
  /** Bumped on every change of the tree: views re-read it. */
  version: number;
  /** The root level is being discovered. */
  loading: boolean;
  /** Folders being loaded (opened) now. */
  folderLoads: number;
  /** The revision the tree is at (the root level's, then each watch batch's). */
  revision?: string;
  error?: string;
  /** Something the user should know (a reload after compaction, a lost connection). */
  message?: string;
  /** Keys changed by the watch lately, with when: rows are highlighted for a moment. */
  changed: ReadonlyMap<string, number>;
  /** The filter's list of every key: absent until a filter is typed. */
  index?: {loaded: number; total: number; done: boolean};
}

const HIGHLIGHT_MS = 1_500;
/** At most one re-render a frame (Ink draws at 30 fps): a storm of events costs 30 renders a second, not one per batch. */
const FRAME_MS = 33;

/**
 * The key tree of one etcd prefix, kept live and loaded lazily: the root level is discovered (one
 * request per child, counts included, see listChildren) at one revision, then a watch runs from that
 * revision + 1. A folder is loaded when it is opened, at the revision of its own load; each folder
 * remembers its revision, so the watch's events count once (LazyTree). A filter loads the whole
 * prefix keys-only once, into a flat list the watch keeps current. A compacted watch reloads.
 */
export class KeyTreeFeed {
  readonly tree: LazyTree;
  /** v2: every key; v3: the filter's index of every key, once a filter asked for it. */
  readonly flat: KeyTree;
  readonly store: Store<KeyTreeState>;
  readonly preview: Store<PreviewState>;
  readonly sizes = new Map<string, number>();
  readonly sep: string;
  private readonly client: EtcdClient;
  private readonly root: string;
  private abort?: AbortController;
  private watch?: {close(): void};
  private flushTimer?: NodeJS.Timeout;
  private loadChange?: NodeJS.Immediate;
  private lastFlush = 0;
  private highlightTimer?: NodeJS.Timeout;
  private readonly previewer: KeyPreview;
  private sizeRequest?: AbortController;
  private changed = new Map<string, number>();
  private stopped = false;
  /** Settled when the first load of the root level has ended, either way (the first frame waits for it). */
  private settleFirst = () => {};
  private readonly firstSettled = new Promise<void>((resolve) => (this.settleFirst = resolve));
  private pendingRevision?: string;
  private readonly index: KeyIndex;
  /** v3 (ranges and a watch) or the old v2 keyspace (read-only, listed again on a timer: v2 has no revision to watch from). */
  readonly api: 'v3' | 'v2';
  private readonly v2Values = new Map<string, Buffer>();
  private v2Timer?: NodeJS.Timeout;
  private readonly refreshMs: number;
  /** Told when etcd answers again after a failure (a resumed watch, a reload that worked): the header probes then. */
  private readonly onAnswered: () => void;
  private failedLoad = false;

  constructor(client: EtcdClient, root = '', sep = '/', opts: {api?: 'v3' | 'v2'; refreshMs?: number; onAnswered?: () => void} = {}) {
    this.client = client;
    this.onAnswered = opts.onAnswered ?? (() => {});
    this.root = root;
    this.sep = sep;
    this.api = opts.api ?? 'v3';
    this.refreshMs = opts.refreshMs ?? 2_000;
    this.tree = new LazyTree(sep, root);
    this.index = new KeyIndex(sep);
    // v2 lists into it too: it is the flat list of every key either way.
    this.flat = this.index.keys;
    this.store = createStore<KeyTreeState>({version: 0, loading: true, folderLoads: 0, changed: this.changed});
    this.previewer = new KeyPreview(client, (key) => this.tree.get(key) ?? this.flat.get(key), this.sizes);
    this.preview = this.previewer.store;
  }

  /** Keys under the root (v2: listed; v3: counted, and kept by the watch). */
  get total(): number {
    return this.api === 'v2' ? this.flat.size : this.tree.size;
  }

  private bump(patch: Partial<KeyTreeState> = {}): void {
    if (this.loadChange) clearImmediate(this.loadChange);
    this.loadChange = undefined;
    this.store.setState((s) => ({...patch, version: s.version + 1}));
    flushFrameSoon(); // now, not at the end of Ink's 33 ms throttle: watch batches come one a frame already
  }

  /**
   * A folder load's answer, drawn once the answers of this turn are in: a load's last page and its
   * end (the root's `loading` cleared) make one frame, not two.
   */
  private readonly loadChanged = (): void => {
    this.loadChange ??= setImmediate(() => {
      this.loadChange = undefined;
      this.bump();
    });
  };

  start(message?: string): void {
    this.stopped = false;
    if (this.api === 'v2') {
      this.loadV2(message);
      return;
    }
    this.abort?.abort();
    this.watch?.close();
    this.tree.clear();
    this.index.clear();
    this.sizes.clear();
    const abort = new AbortController();
    this.abort = abort;
    this.bump({loading: true, folderLoads: 0, error: undefined, message, index: undefined});
    this.tree.beginLoad(this.root);
    loadFolder(this.client, this.tree, this.root, abort.signal, this.loadChanged).then(
      (revision) => {
        this.settleFirst();
        if (abort.signal.aborted) return;
        if (this.failedLoad) this.onAnswered();
        this.failedLoad = false;
        this.bump({loading: false, revision});
        this.startWatch((BigInt(revision) + 1n).toString());
      },
      (err) => {
        this.settleFirst();
        if (abort.signal.aborted) return;
        this.failedLoad = true;
        this.store.setState({loading: false, error: errorLine(err)});
        // The tree comes back by itself when etcd does.
        setTimeout(() => !this.stopped && this.store.getState().error && this.start(), 2_000).unref();
      },
    );
  }

  /** Loads the open folders that are not loaded yet (a folder is loaded when opened, not before). */
  want(expanded: readonly string[]): void {
    if (this.api !== 'v3' || this.store.getState().loading) return;
    for (const prefix of expanded) {
      if (!this.tree.beginLoad(prefix)) continue;
      const abort = this.abort!;
      this.store.setState((s) => ({folderLoads: s.folderLoads + 1}));
      loadFolder(this.client, this.tree, prefix, abort.signal, this.loadChanged).then(
        () => !abort.signal.aborted && this.bump({folderLoads: this.store.getState().folderLoads - 1}),
        (err) => {
          if (abort.signal.aborted) return;
          this.tree.abandonLoad(prefix);
          this.bump({folderLoads: this.store.getState().folderLoads - 1, message: `could not open ${prefix}: ${errorLine(err)}`});
        },
      );
    }
  }

  /** The filter's index of every key (see KeyIndex): loaded once, when a filter first asks for it. */
  wantIndex(): void {
    if (this.api !== 'v3' || this.index.started) return;
    const abort = this.abort!;
    this.store.setState({index: {loaded: 0, total: this.tree.size, done: false}});
    this.index.load(this.client, this.root, abort.signal, infoOf, (index) => this.bump({index})).catch((err) => {
      if (!abort.signal.aborted) this.bump({index: undefined, message: `could not list the keys to filter: ${errorLine(err)}`});
    });
  }

  private startWatch(from: string): void {
    this.watch = watchPrefix(this.client, this.root, from, {
      onEvents: (events, revision) => {
        const now = Date.now();
        for (const w of events) {
          const e = treeEvent(w);
          this.tree.apply(e);
          this.index.apply(e);
          if (w.type === 'put' && w.value) this.sizes.set(e.key, w.value.length);
          else this.sizes.delete(e.key);
          this.changed.set(e.key, now);
          if (e.key === this.previewer.wanted) this.previewer.show(e.key, w.type === 'put' ? w.value : undefined, true);
        }
        // The revision goes out with the rows in the next flush: one frame per batch, not two.
        this.pendingRevision = revision;
        this.scheduleFlush();
      },
      onCompacted: (compactRevision) => {
        this.start(`the watch revision was compacted (at ${compactRevision ?? '?'}): the tree was reloaded at the current revision`);
      },
      onError: (e) => this.store.setState({error: errorLine(e)}),
      onDisconnected: (e) => this.store.setState({message: `etcd connection lost (${errorLine(e)}): resuming the watch`}),
      onResumed: (rev) => {
        this.onAnswered();
        this.store.setState({message: `watch resumed from revision ${rev}: nothing missed`});
      },
    });
  }

  private loadV2(message?: string): void {
    clearTimeout(this.v2Timer);
    listV2(this.client.endpoints[0]!, this.root, this.flat, this.v2Values).then(
      () => {
        if (this.stopped) return;
        for (const [k, v] of this.v2Values) this.sizes.set(k, v.length);
        this.bump({loading: false, error: undefined, message});
        const selected = this.previewer.wanted;
        if (selected) this.previewer.show(selected, this.v2Values.get(selected), true);
      },
      (err) => !this.stopped && this.store.setState({loading: false, error: errorLine(err)}),
    ).finally(() => {
      // The next listing is armed when this one has ended: a slow server never gets them piled up.
      if (this.stopped) return;
      this.v2Timer = setTimeout(() => !this.stopped && this.loadV2(), this.refreshMs);
      this.v2Timer.unref();
    });
  }

  /** Coalesces a burst of watch events into one re-render, at most one a frame. */
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const wait = Math.max(5, FRAME_MS - (Date.now() - this.lastFlush));
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.lastFlush = Date.now();
      const revision = this.pendingRevision;
      this.bump(revision ? {revision} : {});
      if (!this.highlightTimer) {
        this.highlightTimer = setTimeout(() => this.expireHighlights(), HIGHLIGHT_MS);
        this.highlightTimer.unref();
      }
    }, wait);
    this.flushTimer.unref();
  }

  private expireHighlights(): void {
    this.highlightTimer = undefined;
    const now = Date.now();
    let next = Infinity;
    for (const [k, t] of this.changed) {
      if (now - t >= HIGHLIGHT_MS) this.changed.delete(k);
      else next = Math.min(next, t + HIGHLIGHT_MS - now);
    }
    this.bump();
    if (next < Infinity) {
      this.highlightTimer = setTimeout(() => this.expireHighlights(), next);
      this.highlightTimer.unref();
    }
  }

  /** Shows a leaf's value in the preview (see KeyPreview); undefined: no leaf selected. */
  select(key: string | undefined): void {
    this.previewer.select(key, this.api === 'v2' && key !== undefined ? () => this.v2Values.get(key) : undefined);
  }

  /** Fetches value sizes for leaves on screen that have none yet (etcd's keys-only ranges carry none). */
  wantSizes(keys: string[]): void {
    if (this.api === 'v2') return;
    const missing = keys.filter((k) => !this.sizes.has(k));
    if (missing.length === 0 || this.sizeRequest) return;
    const abort = new AbortController();
    this.sizeRequest = abort;
    leafValueSizes(this.client, missing.map(fromLatin1), undefined, abort.signal)
      .then((sizes) => {
        for (const k of missing) this.sizes.set(k, sizes.get(k) ?? -1);
        this.store.setState((s) => ({version: s.version + 1}));
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.sizeRequest === abort) this.sizeRequest = undefined;
      });
  }

  /** When the root level's first load has ended (at once for the v2 API, which is drawn as it comes). */
  firstLoad(): Promise<void> {
    return this.api === 'v2' ? Promise.resolve() : this.firstSettled;
  }

  stop(): void {
    this.stopped = true;
    this.settleFirst();
    this.abort?.abort();
    this.sizeRequest?.abort();
    this.watch?.close();
    clearTimeout(this.flushTimer);
    if (this.loadChange) clearImmediate(this.loadChange);
    clearTimeout(this.highlightTimer);
    clearTimeout(this.v2Timer);
    this.previewer.stop();
  }
}
