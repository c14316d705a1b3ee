import {isDeepStrictEqual} from 'node:util';
import {Source} from '../data/source.js';
import {errorLine} from '../data/errors.js';
import {findResource} from '../resources/registry.js';
import type {AnyResource, DataContext} from '../resources/types.js';
import {createStore, type Store} from './store.js';

export type ConnStatus = 'connecting' | 'up' | 'down';

export interface ConnState {
  status: ConnStatus;
  /** e.g. "1.6.20" */
  version?: string;
  error?: string;
}

export interface ConnectionsState {
  containerd: ConnState;
  cri: ConnState;
  etcd: ConnState;
}

export interface ResourceState {
  rows: unknown[];
  loaded: boolean;
  /** Rows are from an earlier successful load; the last one failed. */
  stale: boolean;
  error?: string;
  updatedAt?: number;
}

export interface ViewFrame {
  resource: string;
  selected: number;
  top: number;
  filter: string;
  sort: {column: string; descending: boolean};
}

export type Mode = 'table' | 'command' | 'filter' | 'help';

export interface UiState {
  stack: ViewFrame[];
  namespace: string;
  mode: Mode;
  input: string;
  status?: {text: string; level: 'info' | 'error'};
  now: number;
}

const emptyResource: ResourceState = {rows: [], loaded: false, stale: false};

export function newFrame(resource: AnyResource): ViewFrame {
  return {
    resource: resource.id,
    selected: 0,
    top: 0,
    filter: '',
    sort: {column: resource.defaultSort.column, descending: resource.defaultSort.descending ?? false},
  };
}

/**
 * Owns the stores and the data sources behind them. Only the visible view's resource is polled;
 * switching view or namespace swaps its source.
 */
export class AppController {
  readonly ctx: DataContext;
  readonly ui: Store<UiState>;
  readonly connections: Store<ConnectionsState>;
  private readonly resourceStores = new Map<string, Store<ResourceState>>();
  private active?: {key: string; source: Source<unknown[]>};
  private probeTimer?: NodeJS.Timeout;
  private clockTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  onQuit: () => void = () => {};

  constructor(ctx: DataContext) {
    this.ctx = ctx;
    const first = findResource(ctx.config.view)!;
    this.ui = createStore<UiState>({
      stack: [newFrame(first)],
      namespace: ctx.config.namespace,
      mode: 'table',
      input: '',
      now: Date.now(),
    });
    this.connections = createStore<ConnectionsState>({
      containerd: {status: 'connecting'},
      cri: {status: 'connecting'},
      etcd: {status: 'connecting'},
    });
  }

  start(): void {
    this.unsubscribe = this.ui.subscribe(() => this.syncSource());
    this.syncSource();
    void this.probe();
    this.probeTimer = setInterval(() => void this.probe(), 5_000);
    this.probeTimer.unref();
    // Ages move on even when nothing else does; a slow clock keeps them honest without busy renders.
    this.clockTimer = setInterval(() => this.ui.setState({now: Date.now()}), 30_000);
    this.clockTimer.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.probeTimer);
    clearInterval(this.clockTimer);
    this.active?.source.stop();
    this.active = undefined;
  }

  resourceStore(id: string): Store<ResourceState> {
    let s = this.resourceStores.get(id);
    if (!s) {
      s = createStore<ResourceState>(emptyResource);
      this.resourceStores.set(id, s);
    }
    return s;
  }

  currentFrame(): ViewFrame {
    const {stack} = this.ui.getState();
    return stack[stack.length - 1]!;
  }

  currentResource(): AnyResource {
    return findResource(this.currentFrame().resource)!;
  }

  /** Asks the visible view for fresh data now. */
  refresh(): void {
    this.active?.source.trigger();
  }

  private syncSource(): void {
    const {namespace} = this.ui.getState();
    const resource = this.currentResource();
    const key = resource.namespaced ? `${resource.id}@${namespace}` : resource.id;
    if (this.active?.key === key) return;
    this.active?.source.stop();
    const store = this.resourceStore(resource.id);
    // Rows of another namespace must never show under this one's title.
    if (this.active && resource.namespaced) store.setState(emptyResource);
    const source = new Source<unknown[]>({
      intervalMs: this.ctx.config.refreshMs,
      load: (signal) => resource.load(this.ctx, namespace, signal),
      onData: (rows) => {
        const prev = store.getState();
        this.markUp(resource);
        if (prev.loaded && !prev.stale && !prev.error && isDeepStrictEqual(prev.rows, rows)) return;
        store.setState({rows, loaded: true, stale: false, error: undefined, updatedAt: Date.now()});
        this.ui.setState({now: Date.now()});
      },
      onError: (err) => {
        const prev = store.getState();
        const error = errorLine(err);
        store.setState({error, stale: prev.loaded});
        this.markDown(resource, error);
      },
    });
    this.active = {key, source};
    source.start();
  }

  private markUp(resource: AnyResource): void {
    const conn = this.connections.getState();
    if (resource.id && conn.containerd.status !== 'up') void this.probe();
  }

  private markDown(_resource: AnyResource, error: string): void {
    const c = this.connections.getState().containerd;
    if (c.status !== 'down' || c.error !== error) {
      this.connections.setState({containerd: {...c, status: 'down', error}});
    }
  }

  /** Checks each daemon; the header shows what answered and why the rest did not. */
  async probe(): Promise<void> {
    const {containerd, cri, etcd} = this.ctx;
    const [c, r, e] = await Promise.allSettled([
      containerd.version({deadlineMs: 2_000}),
      cri.version({deadlineMs: 2_000}),
      etcd.version(2_000),
    ]);
    this.connections.setState({
      containerd: c.status === 'fulfilled' ? {status: 'up', version: c.value.version} : {status: 'down', error: errorLine(c.reason)},
      cri:
        r.status === 'fulfilled'
          ? {status: 'up', version: `${r.value.runtime_name} ${r.value.runtime_version} (${r.value.runtime_api_version})`}
          : {status: 'down', error: errorLine(r.reason)},
      etcd:
        e.status === 'fulfilled'
          ? {status: 'up', version: `${e.value.server} (cluster ${e.value.cluster})`}
          : {status: 'down', error: errorLine(e.reason)},
    });
  }

  // --- navigation -------------------------------------------------------

  updateFrame(patch: Partial<ViewFrame>): void {
    this.ui.setState((s) => {
      const stack = s.stack.slice();
      stack[stack.length - 1] = {...stack[stack.length - 1]!, ...patch};
      return {stack};
    });
  }

  /** Opens a view as the new root, as k9s does for :resource. */
  openView(resource: AnyResource): void {
    this.ui.setState({stack: [newFrame(resource)], mode: 'table', input: ''});
  }

  /** Opens a view on top of the current one (esc comes back). */
  pushView(resource: AnyResource): void {
    this.ui.setState((s) => ({stack: [...s.stack, newFrame(resource)], mode: 'table', input: ''}));
  }

  back(): boolean {
    const {stack} = this.ui.getState();
    if (stack.length <= 1) return false;
    this.ui.setState({stack: stack.slice(0, -1)});
    return true;
  }

  setNamespace(namespace: string): void {
    const {stack} = this.ui.getState();
    // Leaving the namespace picker goes back to what was shown before it.
    const rest = stack.length > 1 && this.currentFrame().resource === 'namespaces' ? stack.slice(0, -1) : stack;
    this.ui.setState({
      namespace,
      stack: rest.map((f) => ({...f, selected: 0, top: 0})),
      status: {text: `namespace ${namespace}`, level: 'info'},
    });
  }

  setStatus(text: string, level: 'info' | 'error' = 'info'): void {
    this.ui.setState({status: {text, level}});
  }

  quit(): void {
    this.onQuit();
  }
}
