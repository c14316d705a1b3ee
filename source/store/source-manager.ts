import {isDeepStrictEqual} from 'node:util';
import {Source} from '../data/source.js';
import {errorLine} from '../data/errors.js';
import type {AnyResource, Daemon, DataContext, LoadScope} from '../resources/types.js';
import type {ResourceState} from './app-state.js';
import type {EventFeedHandlers} from './event-feed.js';
import type {Health} from './health.js';
import {createStore, type Store} from './store.js';
import {flushFrameSoon} from '../terminal/frame-flush.js';

const emptyResource: ResourceState = {rows: [], loaded: false, stale: false};

/** While the event stream is healthy the relist backs off to this (kubelet's evented PLEG relists every 300 s). */
export const CALM_RELIST_MAX_MS = 300_000;
/**
 * Live figures (CPU, memory) of the rows on screen are sampled at most this often: each sample that
 * changes a figure is a frame, most of what an idle screen costs (metrics-server, which `kubectl
 * top` reads, resolves 15 s too).
 */
export const SAMPLE_MS = 15_000;
/** Rows scrolled onto the screen are sampled this long after the scrolling stops. */
const SCROLL_SAMPLE_MS = 300;
/** The second sample comes sooner: CPU is a difference of two. */
const FIRST_SAMPLE_GAP_MS = 1_000;

/** Rows as the last load's: a resource that keeps its unchanged rows (containers) costs one identity check per row. */
export function sameRows(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i] || isDeepStrictEqual(r, b[i]));
}

/** Whether a containerd event can change what this resource lists in this scope. */
function concerns(resource: AnyResource, scope: LoadScope, namespace: string): boolean {
  const f = resource.followsEvents;
  return typeof f === 'function' ? f(namespace, scope) : !!f;
}

/**
 * The one table source that runs: the visible table's resource in its scope. Switching view,
 * parent or namespace swaps it; containerd events trigger it; the relist timer is the safety net,
 * backing off while the event stream is healthy. Live figures are sampled for the rows on screen
 * only. While the terminal has lost the focus nothing is loaded or sampled.
 */
export class SourceManager {
  private readonly stores = new Map<string, Store<ResourceState>>();
  private active?: {key: string; source: Source<unknown[]>; resource: AnyResource; scope: LoadScope; samples: number; sampled: Set<string>};
  /** Resolves when the source shown first has its first rows or error (the first frame waits for it). */
  private firstSettled?: {promise: Promise<void>; resolve: () => void};
  private settleTimer?: NodeJS.Timeout;
  private sampleTimer?: NodeJS.Timeout;
  private sampling = false;
  private calm = false;
  private paused = false;
  /** The rows on screen now (given by the app). */
  onScreen: () => unknown[] = () => [];

  constructor(
    private readonly ctx: DataContext,
    private readonly health: Health,
    /** Told after the rows of a resource changed (the app's clock looks at what is visible again). */
    private readonly onChange: () => void = () => {},
  ) {}

  store(resourceId: string): Store<ResourceState> {
    let s = this.stores.get(resourceId);
    if (!s) {
      s = createStore<ResourceState>(emptyResource);
      this.stores.set(resourceId, s);
    }
    return s;
  }

  /** Runs the source for this resource and scope (or none), replacing any other. */
  show(target: {resource: AnyResource; scope: LoadScope} | undefined): void {
    if (!target) {
      this.stop();
      return;
    }
    const {resource, scope} = target;
    const key = JSON.stringify([resource.id, resource.namespaced ? scope : {params: scope.params}]);
    if (this.active?.key === key) return;
    this.stop();
    const store = this.store(resource.id);
    // Rows of another namespace or parent must never show under this one's title.
    store.setState(emptyResource);
    if (!this.firstSettled) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      this.firstSettled = {promise, resolve};
    }
    const settle = this.firstSettled.resolve;
    const source = new Source<unknown[]>({
      intervalMs: this.ctx.config.refreshMs,
      calmMaxMs: resource.followsEvents ? Math.max(CALM_RELIST_MAX_MS, this.ctx.config.refreshMs) : undefined,
      load: (signal) => resource.load(this.ctx, scope, signal),
      onData: (rows) => {
        const prev = store.getState();
        this.health.markUp(resource.daemon);
        const note = resource.titleNote?.(this.ctx);
        if (prev.loaded && !prev.stale && !prev.error && prev.note === note && sameRows(prev.rows, rows)) return false;
        store.setState({rows, loaded: true, stale: false, error: undefined, note});
        this.onChange();
        settle();
        if (!prev.loaded) {
          this.planSample(0);
          flushFrameSoon(); // a shown table's first rows answer a key press: drawn at once
        }
        return true;
      },
      onError: (err) => {
        const error = errorLine(err);
        store.setState({error, stale: store.getState().loaded});
        // A load that reads two daemons (the drift check) says which one failed.
        const daemon = (err as {daemon?: Daemon} | undefined)?.daemon ?? resource.daemon;
        this.health.markDown(daemon, error);
        this.onChange();
        settle();
      },
    });
    this.active = {key, source, resource, scope, samples: 0, sampled: new Set()};
    source.calm(this.calm);
    if (this.paused) source.pause();
    source.start();
  }

  /**
   * What the event feed tells: an event reloads the view it concerns; containerd has no replay, so
   * every (re)subscribe relists; while the stream lives the relist backs off, and when it is lost
   * the view is asked at once so its rows are marked stale, not at the next relist.
   */
  eventHandlers(): EventFeedHandlers {
    return {
      onEvent: (e) => this.onEvent(e.namespace),
      onConnected: () => {
        this.setCalm(true);
        this.refresh();
        void this.health.probe();
      },
      onLost: (error) => {
        this.setCalm(false);
        this.health.markDown('containerd', error);
        this.refresh();
      },
    };
  }

  /** Asks the visible view for fresh data now. */
  refresh(): void {
    this.active?.source.trigger();
  }

  /** The event stream is (or is no longer) healthy: the relist is only the safety net while it is. */
  setCalm(calm: boolean): void {
    this.calm = calm;
    this.active?.source.calm(calm);
  }

  /** The terminal lost the focus: no relist, no sample until resume(). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.active?.source.pause();
    clearTimeout(this.sampleTimer);
  }

  /** The focus is back: everything shown is loaded and sampled again at once. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.active?.source.resume(true);
    this.planSample(0);
  }

  /** A containerd event (in `namespace`): reload a view it concerns, and once more when the burst settles. */
  onEvent(namespace: string): void {
    const active = this.active;
    if (!active || !concerns(active.resource, active.scope, namespace)) return;
    active.source.trigger();
    // CRI updates its own state after the events it causes (a stopped pod turns NotReady only
    // after the last task event): one more relist once a burst has settled catches that.
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.active?.source.trigger(), 400);
    this.settleTimer.unref();
  }

  /** When the first table shown has its rows or its error; at once if no table was shown. */
  firstLoad(): Promise<void> {
    return this.firstSettled?.promise ?? Promise.resolve();
  }

  stop(): void {
    this.firstSettled?.resolve(); // the first table is gone: nothing waits for it any more
    clearTimeout(this.settleTimer);
    clearTimeout(this.sampleTimer);
    this.active?.source.stop();
    this.active = undefined;
  }

  /** The rows on screen may have changed (a move, a filter, a resize): rows never sampled get their figures soon. */
  screenChanged(): void {
    const a = this.active;
    if (!a?.resource.sample || this.paused || a.samples === 0) return;
    if (this.onScreen().some((r) => !a.sampled.has(a.resource.rowKey(r)))) this.planSample(SCROLL_SAMPLE_MS);
  }

  private planSample(delayMs: number): void {
    clearTimeout(this.sampleTimer);
    if (!this.active?.resource.sample || this.paused) return;
    this.sampleTimer = setTimeout(() => void this.sample(), delayMs);
    this.sampleTimer.unref();
  }

  /** Samples the rows on screen and patches those whose shown figures changed. */
  private async sample(): Promise<void> {
    const active = this.active;
    const sampleRows = active?.resource.sample;
    if (!active || !sampleRows || this.sampling) return;
    const {resource} = active;
    const store = this.store(resource.id);
    const shown = new Set(this.onScreen());
    const rows = store.getState().rows.filter((r) => shown.has(r));
    for (const r of rows) active.sampled.add(resource.rowKey(r));
    this.sampling = true;
    try {
      const fresh = rows.length ? await sampleRows(this.ctx, rows) : [];
      if (this.active !== active) return;
      const byKey = new Map(fresh.map((r) => [resource.rowKey(r), r]));
      let changed = false;
      const now = Date.now();
      // Compared as shown: a figure that moved less than its cell shows (memory by a few KiB under "12.3 MiB") is no frame.
      const cells = (r: unknown) => resource.columns.map((c) => c.cell(r, now)).join('\0');
      const next = store.getState().rows.map((r) => {
        const f = byKey.get(resource.rowKey(r));
        if (!f || cells(f) === cells(r)) return r;
        changed = true;
        return f;
      });
      if (changed) {
        store.setState({rows: next});
        this.onChange();
      }
    } catch {
      // A failed sample leaves the figures as they were; the relist reports what is wrong.
    } finally {
      this.sampling = false;
    }
    if (this.active !== active) return;
    active.samples++;
    this.planSample(active.samples === 1 ? FIRST_SAMPLE_GAP_MS : Math.max(SAMPLE_MS, this.ctx.config.refreshMs));
  }
}
