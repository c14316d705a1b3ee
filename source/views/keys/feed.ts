import type {EtcdClient} from '../../data/etcd/client.js';
import {getValue, leafValueSizes, rangeKeys, type KeyMeta} from '../../data/etcd/keys.js';
import {watchPrefix} from '../../data/etcd/watch.js';
import {v2List, type V2Node} from '../../data/etcd/v2.js';
import {errorLine} from '../../data/errors.js';
import {describeValue, type ValueDescription} from '../../data/values/decode.js';
import {KeyTree, fromLatin1, toLatin1, type KeyInfo} from './tree-model.js';
import {createStore, type Store} from '../../store/store.js';

export interface KeyTreeState {
  /** Bumped on every change of the tree: views re-read it. */
  version: number;
  loading: boolean;
  loaded: number;
  total: number;
  /** The revision the tree is at (the load's, then each watch batch's). */
  revision?: string;
  error?: string;
  /** Something the user should know (a reload after compaction, a lost connection). */
  message?: string;
  /** Keys changed by the watch lately, with when: rows are highlighted for a moment. */
  changed: ReadonlyMap<string, number>;
}

export interface PreviewState {
  key?: string;
  loading: boolean;
  value?: Buffer;
  description?: ValueDescription;
  info?: KeyInfo;
  error?: string;
}

const HIGHLIGHT_MS = 1_500;
/** The preview shows a screenful: this much decoded text is plenty, and keeps a 1.5 MiB value cheap. */
export const PREVIEW_TEXT_BYTES = 16 * 1024;

function infoOf(k: {version: number; createRevision: string; modRevision: string; lease?: string}): KeyInfo {
  return {version: k.version, createRevision: Number(k.createRevision), modRevision: Number(k.modRevision), lease: k.lease ?? '0'};
}

/**
 * The key tree of one etcd prefix, kept live: a paged keys-only load pinned to one revision (the
 * first level shows after the first page), then a watch from that revision + 1, so nothing is
 * missed or doubled between load and watch. A compacted watch revision reloads the tree.
 */
export class KeyTreeFeed {
  readonly tree: KeyTree;
  readonly store: Store<KeyTreeState>;
  readonly preview: Store<PreviewState>;
  readonly sizes = new Map<string, number>();
  private readonly client: EtcdClient;
  private readonly root: string;
  private abort?: AbortController;
  private watch?: {close(): void};
  private flushTimer?: NodeJS.Timeout;
  private highlightTimer?: NodeJS.Timeout;
  private previewSeq = 0;
  private sizeRequest?: AbortController;
  private changed = new Map<string, number>();
  private stopped = false;
  private pendingRevision?: string;
  /** v3 (ranges and a watch) or the old v2 keyspace (read-only, listed again on a timer: v2 has no revision to watch from). */
  readonly api: 'v3' | 'v2';
  private readonly v2Values = new Map<string, Buffer>();
  private v2Timer?: NodeJS.Timeout;
  private readonly refreshMs: number;

  constructor(client: EtcdClient, root = '', sep = '/', opts: {api?: 'v3' | 'v2'; refreshMs?: number} = {}) {
    this.client = client;
    this.root = root;
    this.api = opts.api ?? 'v3';
    this.refreshMs = opts.refreshMs ?? 2_000;
    this.tree = new KeyTree(sep);
    this.store = createStore<KeyTreeState>({version: 0, loading: true, loaded: 0, total: 0, changed: this.changed});
    this.preview = createStore<PreviewState>({loading: false});
  }

  start(message?: string): void {
    if (this.api === 'v2') {
      this.stopped = false;
      this.loadV2(message);
      return;
    }
    this.stopped = false;
    this.abort?.abort();
    this.watch?.close();
    this.tree.clear();
    this.sizes.clear();
    const abort = new AbortController();
    this.abort = abort;
    this.store.setState((s) => ({loading: true, loaded: 0, total: 0, error: undefined, message, version: s.version + 1}));
    rangeKeys(this.client, this.root, {
      signal: abort.signal,
      onPage: (keys: KeyMeta[], progress) => {
        if (abort.signal.aborted) return;
        this.tree.appendSorted(
          keys.map((k) => toLatin1(k.key)),
          keys.map(infoOf),
        );
        this.store.setState((s) => ({loaded: progress.loaded, total: progress.total, revision: progress.revision, version: s.version + 1}));
      },
    }).then(
      ({revision}) => {
        if (abort.signal.aborted) return;
        this.store.setState((s) => ({loading: false, revision, version: s.version + 1}));
        this.startWatch((BigInt(revision) + 1n).toString());
      },
      (err) => {
        if (abort.signal.aborted) return;
        this.store.setState({loading: false, error: errorLine(err)});
        // The tree comes back by itself when etcd does.
        setTimeout(() => !this.stopped && this.store.getState().error && this.start(), 2_000).unref();
      },
    );
  }

  private startWatch(from: string): void {
    this.watch = watchPrefix(this.client, this.root, from, {
      onEvents: (events, revision) => {
        const now = Date.now();
        for (const e of events) {
          const key = toLatin1(e.key);
          if (e.type === 'put') {
            this.tree.put(key, infoOf(e));
            if (e.value) this.sizes.set(key, e.value.length);
          } else {
            this.tree.delete(key);
            this.sizes.delete(key);
          }
          this.changed.set(key, now);
          if (key === this.preview.getState().key) this.showValue(key, e.type === 'put' ? e.value : undefined, true);
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
      onResumed: (rev) => this.store.setState({message: `watch resumed from revision ${rev}: nothing missed`}),
    });
  }

  private loadV2(message?: string): void {
    clearTimeout(this.v2Timer);
    const endpoint = this.client.endpoints[0]!;
    v2List(endpoint, this.root || '/', {recursive: true}).then(
      (rootNode) => {
        if (this.stopped) return;
        const leaves: V2Node[] = [];
        const walk = (n: V2Node) => {
          if (!n.dir) leaves.push(n);
          for (const c of n.nodes ?? []) walk(c);
        };
        walk(rootNode);
        leaves.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        this.tree.clear();
        this.v2Values.clear();
        const keys = leaves.map((n) => toLatin1(Buffer.from(n.key, 'utf8')));
        leaves.forEach((n, i) => this.v2Values.set(keys[i]!, Buffer.from(n.value ?? '', 'utf8')));
        this.tree.appendSorted(
          keys,
          leaves.map((n) => ({version: 0, createRevision: n.createdIndex ?? 0, modRevision: n.modifiedIndex ?? 0, lease: n.ttl ? `ttl ${n.ttl}s` : '0'})),
        );
        for (const [k, v] of this.v2Values) this.sizes.set(k, v.length);
        this.store.setState((s) => ({loading: false, loaded: keys.length, total: keys.length, error: undefined, message, version: s.version + 1}));
        const selected = this.preview.getState().key;
        if (selected) this.showValue(selected, this.v2Values.get(selected), true);
      },
      (err) => !this.stopped && this.store.setState({loading: false, error: errorLine(err)}),
    ).finally(() => {
      // The next listing is armed when this one has ended: a slow server never gets them piled up.
      if (this.stopped) return;
      this.v2Timer = setTimeout(() => !this.stopped && this.loadV2(), this.refreshMs);
      this.v2Timer.unref();
    });
  }

  /** Coalesces a burst of watch events into one re-render. */
  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const revision = this.pendingRevision;
      this.store.setState((s) => ({version: s.version + 1, changed: new Map(this.changed), ...(revision ? {revision} : {})}));
      clearTimeout(this.highlightTimer);
      this.highlightTimer = setTimeout(() => this.expireHighlights(), HIGHLIGHT_MS);
      this.highlightTimer.unref();
    }, 5);
    this.flushTimer.unref();
  }

  private expireHighlights(): void {
    const now = Date.now();
    for (const [k, t] of this.changed) if (now - t >= HIGHLIGHT_MS) this.changed.delete(k);
    this.store.setState((s) => ({version: s.version + 1, changed: new Map(this.changed)}));
  }

  /** Shows a leaf's value in the preview: read once on selection, then kept current by the watch. */
  select(key: string | undefined): void {
    if (key === this.preview.getState().key) return;
    if (key === undefined) {
      this.preview.setState({key: undefined, loading: false, value: undefined, description: undefined, error: undefined});
      return;
    }
    if (this.api === 'v2') {
      this.showValue(key, this.v2Values.get(key), true);
      return;
    }
    const seq = ++this.previewSeq;
    // Nothing of the previous key stays on screen while this one's read is out.
    this.preview.setState({key, loading: true, value: undefined, description: undefined, info: undefined, error: undefined});
    getValue(this.client, fromLatin1(key)).then(
      (kv) => {
        if (seq !== this.previewSeq) return;
        this.showValue(key, kv?.value, false);
      },
      (err) => seq === this.previewSeq && this.preview.setState({loading: false, error: errorLine(err)}),
    );
  }

  private showValue(key: string, value: Buffer | undefined, fromWatch: boolean): void {
    if (fromWatch) this.previewSeq++;
    if (value === undefined) {
      this.preview.setState({key, loading: false, value: undefined, description: undefined, info: undefined, error: 'the key no longer exists'});
      return;
    }
    this.sizes.set(key, value.length);
    this.preview.setState({key, loading: false, value, description: describeValue(value, {maxTextBytes: PREVIEW_TEXT_BYTES}), info: this.tree.get(key), error: undefined});
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

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.sizeRequest?.abort();
    this.watch?.close();
    clearTimeout(this.flushTimer);
    clearTimeout(this.highlightTimer);
    clearTimeout(this.v2Timer);
  }
}
