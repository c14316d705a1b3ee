import {isDeepStrictEqual} from 'node:util';
import {Source} from '../data/source.js';
import {errorLine} from '../data/errors.js';
import {findResource} from '../resources/registry.js';
import type {ActionResult, AnyResource, DataContext, Daemon, FormField, LoadScope, LogSourceSpec} from '../resources/types.js';
import {LogFeed} from './log-feed.js';
import {KeyTreeFeed} from './key-tree-feed.js';
import {createStore, shallowEqual, type Store} from './store.js';
import {EventFeed} from './event-feed.js';
import {EVENTS_MEMO} from '../resources/events/index.js';
import {handTerminalOver} from '../terminal/handoff.js';

export type ConnStatus = 'connecting' | 'up' | 'down';

export interface ConnState {
  status: ConnStatus;
  /** e.g. "1.6.20" */
  version?: string;
  error?: string;
}

export type ConnectionsState = Record<Daemon, ConnState>;

export interface ResourceState {
  rows: unknown[];
  loaded: boolean;
  /** Rows are from an earlier successful load; the last one failed. */
  stale: boolean;
  error?: string;
}

export interface TableFrame {
  kind: 'table';
  resource: string;
  params: Record<string, string>;
  /** Breadcrumb text. */
  crumb: string;
  allNamespaces: boolean;
  selected: number;
  top: number;
  filter: string;
  sort: {column: string; descending: boolean};
}

export interface DetailFrame {
  kind: 'detail';
  id: number;
  title: string;
  crumb: string;
  scroll: number;
  format: 'yaml' | 'json';
}

export interface LogsFrame {
  kind: 'logs';
  id: number;
  title: string;
  crumb: string;
  follow: boolean;
  wrap: boolean;
  timestamps: boolean;
  /** Sequence number of the first line shown when not following. */
  top: number;
  search: string;
  /** Sequence number of the current search match, if any. */
  match?: number;
}

export interface TreeFrame {
  kind: 'tree';
  id: number;
  crumb: string;
  /** Folders open in the tree (prefixes ending with the separator). */
  expanded: string[];
  /** Which keyspace: etcd's v3 one, or the old v2 one (read-only). */
  api: 'v3' | 'v2';
  selected: number;
  top: number;
  filter: string;
}

export type ViewFrame = TableFrame | DetailFrame | LogsFrame | TreeFrame;

export interface DetailState {
  loading: boolean;
  value?: unknown;
  error?: string;
}

export interface DialogState {
  title: string;
  lines: string[];
  confirmLabel: string;
  /** Which button has focus: cancel is the default, so a stray enter changes nothing. */
  focus: 'cancel' | 'confirm';
  run: () => Promise<ActionResult>;
}

export interface FormState {
  title: string;
  lines: string[];
  fields: FormField[];
  focus: number;
  submitLabel: string;
  submit: (values: Record<string, string>) => Promise<ActionResult>;
}

export type Mode = 'table' | 'command' | 'filter' | 'help';

export interface UiState {
  stack: ViewFrame[];
  namespace: string;
  mode: Mode;
  input: string;
  dialog?: DialogState;
  form?: FormState;
  /** An action still running (shown in the status line; its result replaces it). */
  busy?: string;
  status?: {text: string; level: 'info' | 'error'};
  now: number;
}

const emptyResource: ResourceState = {rows: [], loaded: false, stale: false};

export function newTableFrame(resource: AnyResource, opts: {params?: Record<string, string>; crumb?: string; allNamespaces?: boolean} = {}): TableFrame {
  return {
    kind: 'table',
    resource: resource.id,
    params: opts.params ?? {},
    crumb: opts.crumb ?? resource.id,
    allNamespaces: opts.allNamespaces ?? false,
    selected: 0,
    top: 0,
    filter: '',
    sort: {column: resource.defaultSort.column, descending: resource.defaultSort.descending ?? false},
  };
}

/** The topmost table frame (a detail view sits over the table it describes), if any. */
export function findTable(stack: ViewFrame[]): TableFrame | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const f = stack[i]!;
    if (f.kind === 'table') return f;
  }
  return undefined;
}

export function topTable(stack: ViewFrame[]): TableFrame {
  const t = findTable(stack);
  if (!t) throw new Error('no table frame');
  return t;
}

/**
 * Owns the stores and the data sources behind them. Only the visible table's resource is polled;
 * switching view, parent or namespace swaps its source. containerd events trigger a reload of
 * the visible view; the relist timer is the safety net.
 */
export class AppController {
  readonly ctx: DataContext;
  readonly ui: Store<UiState>;
  readonly connections: Store<ConnectionsState>;
  readonly events: EventFeed;
  private readonly resourceStores = new Map<string, Store<ResourceState>>();
  private readonly detailStores = new Map<number, Store<DetailState>>();
  private readonly logFeeds = new Map<number, LogFeed>();
  private readonly treeFeeds = new Map<number, KeyTreeFeed>();
  private nextDetailId = 1;
  private active?: {key: string; source: Source<unknown[]>; resource: AnyResource};
  private probeTimer?: NodeJS.Timeout;
  private settleTimer?: NodeJS.Timeout;
  private started = false;
  /** The first view has been opened (a restart after a terminal handoff keeps the views). */
  private opened = false;
  private clockTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  onQuit: () => void = () => {};

  constructor(ctx: DataContext) {
    this.ctx = ctx;
    // The key tree (--view keys) opens in start(); a table is the frame under it until then.
    const first = findResource(ctx.config.view) ?? findResource('images')!;
    this.ui = createStore<UiState>({
      stack: [newTableFrame(first)],
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
    this.events = new EventFeed(ctx.containerd, {
      onEvent: () => {
        if (!this.active?.resource.followsEvents) return;
        this.active.source.trigger();
        // CRI updates its own state after the events it causes (a stopped pod turns NotReady only
        // after the last task event): one more relist once a burst has settled catches that.
        clearTimeout(this.settleTimer);
        this.settleTimer = setTimeout(() => this.active?.source.trigger(), 400);
        this.settleTimer.unref();
      },
      onConnected: () => {
        // No replay after a (re)subscribe: relist what is shown.
        this.active?.source.trigger();
        void this.probe();
      },
      onLost: (error) => {
        this.markDown('containerd', error);
        // Ask the visible view now, so its rows are marked stale at once, not at the next relist.
        this.active?.source.trigger();
      },
    });
  }

  start(): void {
    if (!this.opened && this.ctx.config.view === 'keys') this.openTree();
    this.opened = true;
    this.started = true;
    this.ctx.memo.set(EVENTS_MEMO, () => this.events.store.getState().events);
    this.unsubscribe = this.ui.subscribe(() => this.syncSource());
    this.syncSource();
    this.events.start();
    this.scheduleProbe(0);
    // Ages move on even when nothing else does; a slow clock keeps them honest without busy renders.
    this.clockTimer = setInterval(() => this.ui.setState({now: Date.now()}), 30_000);
    this.clockTimer.unref();
  }

  stop(): void {
    this.unsubscribe?.();
    this.started = false;
    clearTimeout(this.probeTimer);
    clearInterval(this.clockTimer);
    clearTimeout(this.settleTimer);
    this.events.stop();
    this.active?.source.stop();
    this.active = undefined;
  }

  /** Stops everything, log followers included (on quit; a terminal handoff only pauses the sources). */
  close(): void {
    this.stop();
    this.closeFeeds();
  }

  resourceStore(id: string): Store<ResourceState> {
    let s = this.resourceStores.get(id);
    if (!s) {
      s = createStore<ResourceState>(emptyResource);
      this.resourceStores.set(id, s);
    }
    return s;
  }

  detailStore(id: number): Store<DetailState> {
    let s = this.detailStores.get(id);
    if (!s) {
      s = createStore<DetailState>({loading: true});
      this.detailStores.set(id, s);
    }
    return s;
  }

  currentFrame(): ViewFrame {
    const {stack} = this.ui.getState();
    return stack[stack.length - 1]!;
  }

  currentTable(): TableFrame {
    return topTable(this.ui.getState().stack);
  }

  currentResource(): AnyResource {
    return findResource(this.currentTable().resource)!;
  }

  scope(frame: TableFrame = this.currentTable()): LoadScope {
    return {namespace: this.ui.getState().namespace, allNamespaces: frame.allNamespaces, params: frame.params};
  }

  /** What the visible table shows at the selection (set by the pane as it renders). */
  selectedRow: () => unknown = () => undefined;

  /** Asks the visible view for fresh data now. */
  refresh(): void {
    this.active?.source.trigger();
  }

  private syncSource(): void {
    const frame = findTable(this.ui.getState().stack);
    if (!frame) {
      // The key tree has its own feed: no table source runs under it.
      this.active?.source.stop();
      this.active = undefined;
      return;
    }
    const resource = findResource(frame.resource)!;
    const scope = this.scope(frame);
    const key = JSON.stringify([resource.id, resource.namespaced ? scope : {params: scope.params}]);
    if (this.active?.key === key) return;
    this.active?.source.stop();
    const store = this.resourceStore(resource.id);
    // Rows of another namespace or parent must never show under this one's title.
    store.setState(emptyResource);
    const source = new Source<unknown[]>({
      intervalMs: this.ctx.config.refreshMs,
      load: (signal) => resource.load(this.ctx, scope, signal),
      onData: (rows) => {
        const prev = store.getState();
        this.markUp(resource.daemon);
        if (prev.loaded && !prev.stale && !prev.error && isDeepStrictEqual(prev.rows, rows)) return;
        store.setState({rows, loaded: true, stale: false, error: undefined});
      },
      onError: (err) => {
        const prev = store.getState();
        const error = errorLine(err);
        store.setState({error, stale: prev.loaded});
        this.markDown(resource.daemon, error);
      },
    });
    this.active = {key, source, resource};
    source.start();
  }

  private markUp(daemon: Daemon): void {
    if (this.connections.getState()[daemon].status !== 'up') void this.probe();
  }

  private markDown(daemon: Daemon, error: string): void {
    const c = this.connections.getState()[daemon];
    if (c.status !== 'down' || c.error !== error) {
      this.connections.setState({[daemon]: {...c, status: 'down', error}} as Partial<ConnectionsState>);
    }
  }

  /** Probes again soon while a daemon is down, rarely while all answer (an idle screen costs next to nothing). */
  private scheduleProbe(delayMs: number): void {
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => {
      void this.probe().finally(() => {
        if (!this.started) return;
        const conns = Object.values(this.connections.getState());
        this.scheduleProbe(conns.every((c) => c.status === 'up') ? 30_000 : 5_000);
      });
    }, delayMs);
    this.probeTimer.unref();
  }

  /** Checks each daemon; the header shows what answered and why the rest did not. */
  async probe(): Promise<void> {
    const {containerd, cri, etcd} = this.ctx;
    const [c, r, e] = await Promise.allSettled([
      containerd.version({deadlineMs: 2_000}),
      cri.version({deadlineMs: 2_000}),
      etcd.version(2_000),
    ]);
    const next: ConnectionsState = {
      containerd: c.status === 'fulfilled' ? {status: 'up', version: c.value.version} : {status: 'down', error: errorLine(c.reason)},
      cri:
        r.status === 'fulfilled'
          ? {status: 'up', version: `${r.value.runtime_name} ${r.value.runtime_version} (${r.value.runtime_api_version})`}
          : {status: 'down', error: errorLine(r.reason)},
      etcd:
        e.status === 'fulfilled'
          ? {
              status: 'up',
              version: `${e.value.server} (cluster ${e.value.cluster}) v3 API${e.value.leader ? ` leader ${e.value.leader}` : ' no leader'}${e.value.revision ? ` rev ${e.value.revision}` : ''}`,
            }
          : {status: 'down', error: errorLine(e.reason)},
    };
    // Only what changed is set: an unchanged header is not re-rendered every 5 s.
    const prev = this.connections.getState();
    const patch: Partial<ConnectionsState> = {};
    for (const d of ['containerd', 'cri', 'etcd'] as const) {
      if (!shallowEqual(prev[d], next[d])) patch[d] = next[d];
    }
    this.connections.setState(patch);
  }

  // --- navigation -------------------------------------------------------

  updateTable(patch: Partial<TableFrame>): void {
    this.ui.setState((s) => {
      const stack = s.stack.slice();
      for (let i = stack.length - 1; i >= 0; i--) {
        const f = stack[i]!;
        if (f.kind === 'table') {
          stack[i] = {...f, ...patch};
          break;
        }
      }
      return {stack};
    });
  }

  updateDetail(patch: Partial<DetailFrame>): void {
    this.ui.setState((s) => {
      const top = s.stack[s.stack.length - 1];
      if (top?.kind !== 'detail') return {};
      return {stack: [...s.stack.slice(0, -1), {...top, ...patch}]};
    });
  }

  /** Opens a view as the new root, as k9s does for :resource. */
  openView(resource: AnyResource, opts: {allNamespaces?: boolean} = {}): void {
    this.closeFeeds();
    this.ui.setState({stack: [newTableFrame(resource, opts)], mode: 'table', input: ''});
  }

  /** Opens a view on top of the current one (esc comes back). */
  pushView(resource: AnyResource, opts: {params?: Record<string, string>; crumb?: string} = {}): void {
    this.ui.setState((s) => ({stack: [...s.stack, newTableFrame(resource, opts)], mode: 'table', input: ''}));
  }

  /** Opens a describe view whose content loads in the background. */
  pushDetail(title: string, load: () => Promise<unknown>): void {
    const id = this.nextDetailId++;
    const store = this.detailStore(id);
    store.setState({loading: true, value: undefined, error: undefined});
    load().then(
      (value) => store.setState({loading: false, value}),
      (err) => store.setState({loading: false, error: errorLine(err)}),
    );
    this.ui.setState((s) => ({
      stack: [...s.stack, {kind: 'detail', id, title, crumb: 'describe', scroll: 0, format: 'yaml'}],
      mode: 'table',
    }));
  }

  /** Opens a log view following the given file. */
  pushLogs(title: string, crumb: string, source: LogSourceSpec): void {
    const id = this.nextDetailId++;
    const feed = new LogFeed(source, {tail: this.ctx.config.logTail, keep: this.ctx.config.logKeep});
    this.logFeeds.set(id, feed);
    feed.start();
    this.ui.setState((s) => ({
      stack: [...s.stack, {kind: 'logs', id, title, crumb, follow: true, wrap: false, timestamps: false, top: 0, search: ''}],
      mode: 'table',
    }));
  }

  /** Opens the etcd key tree as the root view (:keys). */
  openTree(api: 'v3' | 'v2' = 'v3'): void {
    this.closeFeeds();
    const id = this.nextDetailId++;
    const feed = new KeyTreeFeed(this.ctx.etcd, '', '/', {api, refreshMs: this.ctx.config.refreshMs});
    this.treeFeeds.set(id, feed);
    feed.start();
    this.ui.setState({
      stack: [{kind: 'tree', id, api, crumb: api === 'v2' ? 'keys2' : 'keys', expanded: [], selected: 0, top: 0, filter: ''}],
      mode: 'table',
      input: '',
    });
  }

  treeFeed(id: number): KeyTreeFeed | undefined {
    return this.treeFeeds.get(id);
  }

  updateTree(patch: Partial<TreeFrame>): void {
    this.ui.setState((s) => {
      const stack = s.stack.slice();
      for (let i = stack.length - 1; i >= 0; i--) {
        const f = stack[i]!;
        if (f.kind === 'tree') {
          stack[i] = {...f, ...patch};
          break;
        }
      }
      return {stack};
    });
  }

  /** Stops the followers of views that are being replaced. */
  private closeFeeds(): void {
    for (const feed of this.logFeeds.values()) feed.stop();
    this.logFeeds.clear();
    for (const feed of this.treeFeeds.values()) feed.stop();
    this.treeFeeds.clear();
  }

  logFeed(id: number): LogFeed | undefined {
    return this.logFeeds.get(id);
  }

  updateLogs(patch: Partial<LogsFrame>): void {
    this.ui.setState((s) => {
      const top = s.stack[s.stack.length - 1];
      if (top?.kind !== 'logs') return {};
      return {stack: [...s.stack.slice(0, -1), {...top, ...patch}]};
    });
  }

  back(): boolean {
    const {stack} = this.ui.getState();
    if (stack.length <= 1) return false;
    const top = stack[stack.length - 1]!;
    if (top.kind === 'detail') this.detailStores.delete(top.id);
    if (top.kind === 'logs') {
      this.logFeeds.get(top.id)?.stop();
      this.logFeeds.delete(top.id);
    }
    this.ui.setState({stack: stack.slice(0, -1)});
    return true;
  }

  setNamespace(namespace: string): void {
    const {stack} = this.ui.getState();
    // Leaving the namespace picker goes back to what was shown before it.
    const rest = stack.length > 1 && this.currentFrame().kind === 'table' && this.currentTable().resource === 'namespaces' ? stack.slice(0, -1) : stack;
    // Drilled-down views belong to the old namespace: keep only the root.
    const root = rest[0]!;
    this.ui.setState({
      namespace,
      stack: [root.kind === 'table' ? {...root, selected: 0, top: 0, allNamespaces: false, filter: ''} : root],
      status: {text: `namespace ${namespace}`, level: 'info'},
    });
  }

  setStatus(text: string, level: 'info' | 'error' = 'info'): void {
    this.ui.setState({status: {text, level}, busy: undefined});
  }

  /** Carries out what an action asked for. */
  apply(result: ActionResult): void {
    switch (result.kind) {
      case 'none':
        return;
      case 'status':
        this.setStatus(result.text, result.level);
        this.refresh();
        return;
      case 'set-namespace':
        this.setNamespace(result.namespace);
        return;
      case 'push': {
        const resource = findResource(result.resource);
        if (resource) this.pushView(resource, {params: result.params, crumb: result.crumb});
        return;
      }
      case 'describe':
        this.pushDetail(result.title, result.load);
        return;
      case 'confirm':
        this.ui.setState({
          dialog: {title: result.title, lines: result.lines, confirmLabel: result.confirmLabel, focus: 'cancel', run: result.run},
        });
        return;
      case 'handoff':
        this.runAsync('starting', async () => {
          const runner = await result.prepare();
          const outcome = await handTerminalOver(result.banner, runner, {passthrough: result.passthrough});
          return typeof outcome === 'string' ? {kind: 'status', text: outcome} : outcome;
        });
        return;
      case 'logs':
        this.pushLogs(result.title, result.crumb, result.source);
        return;
      case 'form':
        this.ui.setState({
          form: {
            title: result.title,
            lines: result.lines ?? [],
            fields: result.fields,
            focus: 0,
            submitLabel: result.submitLabel,
            submit: result.submit,
          },
        });
        return;
    }
  }

  /** Runs an action's promise, showing it as busy, and applies what it returns. */
  runAsync(label: string, work: () => Promise<ActionResult> | ActionResult): void {
    this.ui.setState({busy: label});
    Promise.resolve()
      .then(work)
      .then(
        (result) => {
          if (this.ui.getState().busy === label) this.ui.setState({busy: undefined});
          this.apply(result);
        },
        (err) => this.setStatus(errorLine(err), 'error'),
      );
  }

  quit(): void {
    this.onQuit();
  }
}
