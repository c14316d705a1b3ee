import {isDeepStrictEqual} from 'node:util';
import {Source} from '../data/source.js';
import {errorLine} from '../data/errors.js';
import type {AnyResource, Daemon, DataContext, LoadScope} from '../resources/types.js';
import type {ResourceState} from './app-state.js';
import type {Health} from './health.js';
import {createStore, type Store} from './store.js';

const emptyResource: ResourceState = {rows: [], loaded: false, stale: false};

/**
 * The one table source that runs: the visible table's resource in its scope. Switching view,
 * parent or namespace swaps it; containerd events trigger it; the relist timer is the safety net.
 */
export class SourceManager {
  private readonly stores = new Map<string, Store<ResourceState>>();
  private active?: {key: string; source: Source<unknown[]>; resource: AnyResource};
  private settleTimer?: NodeJS.Timeout;

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
    this.active?.source.stop();
    const store = this.store(resource.id);
    // Rows of another namespace or parent must never show under this one's title.
    store.setState(emptyResource);
    const source = new Source<unknown[]>({
      intervalMs: this.ctx.config.refreshMs,
      load: (signal) => resource.load(this.ctx, scope, signal),
      onData: (rows) => {
        const prev = store.getState();
        this.health.markUp(resource.daemon);
        if (prev.loaded && !prev.stale && !prev.error && isDeepStrictEqual(prev.rows, rows)) return;
        store.setState({rows, loaded: true, stale: false, error: undefined});
        this.onChange();
      },
      onError: (err) => {
        const error = errorLine(err);
        store.setState({error, stale: store.getState().loaded});
        // A load that reads two daemons (the drift check) says which one failed.
        const daemon = (err as {daemon?: Daemon} | undefined)?.daemon ?? resource.daemon;
        this.health.markDown(daemon, error);
        this.onChange();
      },
    });
    this.active = {key, source, resource};
    source.start();
  }

  /** Asks the visible view for fresh data now. */
  refresh(): void {
    this.active?.source.trigger();
  }

  /** A containerd event: reload a view that follows events, and once more when the burst settles. */
  onEvent(): void {
    if (!this.active?.resource.followsEvents) return;
    this.active.source.trigger();
    // CRI updates its own state after the events it causes (a stopped pod turns NotReady only
    // after the last task event): one more relist once a burst has settled catches that.
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.active?.source.trigger(), 400);
    this.settleTimer.unref();
  }

  stop(): void {
    clearTimeout(this.settleTimer);
    this.active?.source.stop();
    this.active = undefined;
  }
}
