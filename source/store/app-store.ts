import {namespaceProblem} from '../data/containerd/identifiers.js';
import type {Binding} from '../keys/bindings.js';
import type {ActionResult, AnyResource, DataContext, LoadScope} from '../resources/types.js';
import {EVENTS_MEMO} from '../resources/events/index.js';
import {paneSize, type ConnectionsState, type ResourceState, type UiState} from './app-state.js';
import {applyResult, runAsync} from './effects.js';
import {EventFeed} from './event-feed.js';
import * as nav from './frames.js';
import type {Frame, Opening, ViewModel, ViewSize} from './frames.js';
import {Health} from './health.js';
import {SourceManager} from './source-manager.js';
import {createStore, type Store} from './store.js';

/** What the app needs of a registered view (the registry in views/ gives the full definition). */
export interface RegisteredView {
  id: string;
  aliases: string[];
  title: string;
  /** Its keys (the controller); help and the hint bar list them. */
  bindings: (app: AppController, frame: Frame<any>) => Binding[];
  heading?: (frame: Frame<any>) => string;
  /** What `/` does here; `prefill` starts the prompt with the current text (a log search). */
  filter?: {label: string; prefill?: boolean; get: (state: any) => string; set: (state: any, text: string) => unknown};
  model: (app: AppController, frame: Frame<any>, size: ViewSize) => ViewModel;
  open?: (app: AppController, args: string[]) => Opening | string | null;
  /** Opened by an action's result (describe, logs, a drill-down) with what it carries. */
  openWith?: (app: AppController, payload: any) => Opening;
  resetOnNamespace?: (state: any) => unknown;
  /** The table resource a frame of this view lists and where: its source runs while it is the top table. */
  table?: (frame: Frame<any>) => {resource: AnyResource; scope: Omit<LoadScope, 'namespace'>} | undefined;
}

export interface ViewLookup {
  /** A view by id or alias. */
  find(name: string): RegisteredView | undefined;
  /** The ids and aliases `:` and `--view` accept, in the registry's order. */
  commandNames(): string[];
}

/**
 * Owns the stores and what feeds them: the navigation stack (frames own their feeds, stopped on
 * every way a frame leaves), the table source, the daemons' health and the containerd event feed.
 * Controllers call its intents; only this class and the effects module set the UI store.
 */
export class AppController {
  readonly ctx: DataContext;
  readonly views: ViewLookup;
  readonly ui: Store<UiState>;
  readonly health: Health;
  readonly sources: SourceManager;
  readonly events: EventFeed;
  private readonly feeds = new Map<number, Array<{stop(): void}>>();
  private nextId = 1;
  private clockTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private lastStack: Frame[] = [];
  private started = false;
  onQuit: () => void = () => {};

  constructor(ctx: DataContext, views: ViewLookup) {
    this.ctx = ctx;
    this.views = views;
    this.health = new Health(ctx);
    this.sources = new SourceManager(ctx, this.health);
    this.ui = createStore<UiState>({stack: [], namespace: ctx.config.namespace, mode: 'view', input: '', now: Date.now(), size: {columns: 100, rows: 30}});
    this.events = new EventFeed(ctx.containerd, {
      onEvent: () => this.sources.onEvent(),
      // No replay after a (re)subscribe: relist what is shown.
      onConnected: () => {
        this.sources.refresh();
        void this.health.probe();
      },
      onLost: (error) => {
        this.health.markDown('containerd', error);
        // Ask the visible view now, so its rows are marked stale at once, not at the next relist.
        this.sources.refresh();
      },
    });
    const first = this.views.find(ctx.config.view)?.open?.(this, []);
    if (first && typeof first !== 'string') this.open({...first, as: 'root'});
    this.ctx.memo.set(EVENTS_MEMO, () => this.events.store.getState().events);
    this.unsubscribe = this.ui.subscribe(() => this.onUiChange());
  }

  get connections(): Store<ConnectionsState> {
    return this.health.store;
  }

  /** Starts polling, probing and the event feed (again after a terminal handoff; the views are kept). */
  start(): void {
    this.started = true;
    this.onUiChange();
    this.events.start();
    this.health.start();
    // Ages move on even when nothing else does; a slow clock keeps them honest without busy renders.
    clearInterval(this.clockTimer);
    this.clockTimer = setInterval(() => this.ui.setState({now: Date.now()}), 30_000);
    this.clockTimer.unref();
  }

  /** Pauses the data (a terminal handoff): the frames and their feeds stay. */
  stop(): void {
    this.started = false;
    clearInterval(this.clockTimer);
    this.health.stop();
    this.events.stop();
    this.sources.stop();
  }

  /** Stops everything, frame feeds included (on quit). */
  close(): void {
    this.stop();
    this.unsubscribe?.();
    for (const f of this.ui.getState().stack) this.dispose(f.id);
  }

  private onUiChange(): void {
    const {stack} = this.ui.getState();
    if (stack !== this.lastStack) {
      for (const gone of nav.removedFrames(this.lastStack, stack)) this.dispose(gone.id);
      this.lastStack = stack;
    }
    if (this.started) this.sources.show(this.tableTarget());
  }

  private dispose(frameId: number): void {
    for (const feed of this.feeds.get(frameId) ?? []) feed.stop();
    this.feeds.delete(frameId);
  }

  /** The topmost table frame's resource and scope: only it is polled (a describe over a table keeps it live). */
  private tableTarget(): {resource: AnyResource; scope: LoadScope} | undefined {
    const {stack, namespace} = this.ui.getState();
    for (let i = stack.length - 1; i >= 0; i--) {
      const t = this.views.find(stack[i]!.view)?.table?.(stack[i]!);
      if (t) return {resource: t.resource, scope: {...t.scope, namespace}};
    }
    return undefined;
  }

  // --- reading ----------------------------------------------------------

  currentFrame(): Frame {
    return nav.top(this.ui.getState());
  }

  /** The feed a frame owns (its first), typed by the caller. */
  feed<T>(frameId: number): T | undefined {
    return this.feeds.get(frameId)?.[0] as T | undefined;
  }

  resourceStore(id: string): Store<ResourceState> {
    return this.sources.store(id);
  }

  /** The model of a frame at the current size: what its keys act on. */
  model(frame: Frame = this.currentFrame()): ViewModel {
    const view = this.views.find(frame.view);
    return view ? view.model(this, frame, paneSize(this.ui.getState())) : {count: 0, pageSize: 1, rowAt: () => undefined};
  }

  // --- intents ----------------------------------------------------------

  /** Opens a frame, on top or as the new root; its feeds are stopped when it leaves the stack. */
  open(opening: Opening): Frame {
    const frame: Frame = {...opening.frame, id: this.nextId++};
    if (opening.feeds?.length) this.feeds.set(frame.id, opening.feeds);
    this.ui.setState((s) => ({...(opening.as === 'root' || s.stack.length === 0 ? nav.replaceRoot(s, frame) : nav.push(s, frame)), mode: 'view', input: ''}));
    return frame;
  }

  /** `:name args`: opens a registered view, or says why not. */
  openNamed(name: string, args: string[] = []): boolean {
    const opening = this.views.find(name)?.open?.(this, args);
    if (opening === undefined) return false;
    if (typeof opening === 'string') this.setStatus(opening, 'error');
    else if (opening) this.open({as: 'root', ...opening});
    return true;
  }

  /** Opens a view with what an action's result carries (describe, logs, a drill-down). */
  openWith(name: string, payload: unknown): void {
    const view = this.views.find(name);
    if (view?.openWith) this.open({as: 'push', ...view.openWith(this, payload)});
  }

  update<S>(frame: Frame<S>, patch: Partial<S>): void {
    this.ui.setState((s) => nav.update(s, frame.id, patch));
  }

  back(): boolean {
    if (this.ui.getState().stack.length <= 1) return false;
    this.ui.setState((s) => nav.back(s));
    return true;
  }

  setNamespace(namespace: string): void {
    // Never sent as gRPC metadata or drawn in the header unless containerd could hold it.
    const problem = namespaceProblem(namespace);
    if (problem) {
      this.setStatus(problem, 'error');
      return;
    }
    const {stack} = this.ui.getState();
    // Leaving the namespace picker goes back to what was shown before it.
    const rest = stack.length > 1 && this.currentFrame().view === 'namespaces' ? stack.slice(0, -1) : stack;
    const reset = (root: Frame) => {
      const r = this.views.find(root.view)?.resetOnNamespace;
      return r ? {...root, state: r(root.state)} : root;
    };
    this.ui.setState({...nav.switchNamespace({...this.ui.getState(), stack: rest}, namespace, reset), status: {text: `namespace ${namespace}`, level: 'info'}});
  }

  setMode(mode: UiState['mode'], input = ''): void {
    this.ui.setState({mode, input});
  }

  setInput(input: string): void {
    this.ui.setState({input});
  }

  /** Closes the dialog, or moves its focus. */
  setDialog(dialog: UiState['dialog']): void {
    this.ui.setState({dialog});
  }

  /** Closes the form, or changes its fields or focus. */
  setForm(form: UiState['form']): void {
    this.ui.setState({form});
  }

  setSize(columns: number, rows: number): void {
    const {size} = this.ui.getState();
    if (size.columns !== columns || size.rows !== rows) this.ui.setState({size: {columns, rows}});
  }

  setStatus(text: string, level: 'info' | 'error' = 'info'): void {
    this.ui.setState({status: {text, level}, busy: undefined});
  }

  /** Shows progress of a running action in the status line. */
  report(text: string): void {
    this.ui.setState({busy: text});
  }

  refresh(): void {
    this.sources.refresh();
  }

  apply(result: ActionResult): void {
    applyResult(this, result);
  }

  runAsync(label: string, work: () => Promise<ActionResult> | ActionResult): void {
    runAsync(this, label, work);
  }

  quit(): void {
    this.onQuit();
  }
}
