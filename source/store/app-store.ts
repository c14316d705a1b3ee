import {namespaceProblem} from '../data/containerd/identifiers.js';
import type {ActionResult, AnyResource, DataContext, LoadScope} from '../resources/types.js';
import {EVENTS_MEMO, type EventRecord} from '../resources/event-memo.js';
import {paneSize, type ConnectionsState, type ResourceState, type UiState} from './app-state.js';
import {applyResult, runAsync} from './effects.js';
import {EventFeed} from './event-feed.js';
import * as nav from './frames.js';
import type {Frame, Opening, ViewModel, ViewSize} from './frames.js';
import type {Binding} from '../keys/bindings.js';
import {Alarm} from './alarm.js';
import {Health} from './health.js';
import {MessageLog} from './messages.js';
import {SourceManager} from './source-manager.js';
import {createStore, type Store} from './store.js';
import {safeText} from '../data/text/sanitize.js';

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
  /** When a relative time on screen changes its text next: the clock wakes then, and only then. */
  nextChange?: (app: AppController, frame: Frame<any>, size: ViewSize) => number | undefined;
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
  readonly messages = new MessageLog();
  private readonly feeds = new Map<number, Array<{stop(): void}>>();
  private nextId = 1;
  /** Ages move on when nothing else does: see planClock. */
  private readonly clock = new Alarm((at) => this.ui.setState({now: Math.max(Date.now(), at)}), 1_000);
  private unsubscribe?: () => void;
  private lastStack: Frame[] = [];
  private lastStatus: UiState['status'];
  private started = false;
  /** The terminal says it has the focus (focus reporting); unknown counts as focused. */
  private focused = true;
  get hasFocus(): boolean { return this.focused; }
  onQuit: () => void = () => {};
  /** Set by whoever owns the clients (the CLI's session): closes them and opens the context's. */
  switchContext: (name: string) => void = (name) => this.setStatus(`cannot switch to ${name} here`, 'error');

  constructor(ctx: DataContext, views: ViewLookup) {
    this.ctx = ctx;
    this.views = views;
    this.health = new Health(ctx);
    // New rows are drawn with the time they arrived at (the clock may have slept for minutes).
    this.sources = new SourceManager(ctx, this.health, () => this.ui.setState({now: Date.now()}));
    this.ui = createStore<UiState>({stack: [], namespace: ctx.config.namespace, mode: 'view', input: '', now: Date.now(), size: {columns: 100, rows: 30}});
    this.events = new EventFeed(ctx.containerd, this.sources.eventHandlers());
    this.sources.onScreen = () => (this.ui.getState().stack.length ? (this.model().onScreen?.() ?? []) : []);
    const first = this.views.find(ctx.config.view)?.open?.(this, []);
    if (first && typeof first !== 'string') this.open({...first, as: 'root'});
    this.ctx.memo.set(EVENTS_MEMO, (): EventRecord => {
      const {events, since, resumed} = this.events.store.getState();
      return {events, since, resumed, nameOf: (ns, id) => this.events.names.get(ns, id)};
    });
    this.unsubscribe = this.ui.subscribe(() => this.onUiChange());
  }

  get connections(): Store<ConnectionsState> { return this.health.store; }

  /** Starts the table source, then the event feed and the probes after `firstRows`. They keep running while a child has the terminal. */
  start(firstRows: () => Promise<void> = () => this.sources.firstLoad()): void {
    this.started = true;
    this.onUiChange();
    const rows = firstRows();
    this.events.startAfter(rows);
    this.health.start(rows);
    this.planClock();
  }

  /** Stops the table source, the probes and the event feed; the frames and their feeds stay. */
  stop(): void {
    this.started = false;
    this.clock.clear();
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
    const {stack, status} = this.ui.getState();
    if (stack !== this.lastStack) {
      for (const gone of nav.removedFrames(this.lastStack, stack)) this.dispose(gone.id);
      // A message belongs to the view it was said in: another view clears it, unless it came with the move.
      if (stack.at(-1)?.id !== this.lastStack.at(-1)?.id && status && status === this.lastStatus) this.ui.setState({status: undefined});
      this.lastStack = stack;
    }
    this.lastStatus = this.ui.getState().status;
    if (this.started) this.sources.show(this.tableTarget());
    this.sources.screenChanged();
    this.planClock();
  }

  /**
   * Ages move on when nothing else does: `now` is set when a visible relative time would show another
   * text, on the next whole second (the clock's step: rows made within one second move in one frame).
   */
  private planClock(): void {
    if (!this.started || !this.focused) return;
    const frame = this.currentFrame();
    this.clock.set(frame ? this.views.find(frame.view)?.nextChange?.(this, frame, paneSize(this.ui.getState())) : undefined);
  }

  /**
   * The terminal lost or got back the focus (CSI O / CSI I): while away nothing is relisted, sampled
   * or redrawn for an age (events are still recorded); on return all is loaded again at once.
   */
  setFocused(focused: boolean): void {
    if (this.focused === focused) return;
    this.focused = focused;
    if (!focused) {
      this.clock.clear();
      this.sources.pause();
      return;
    }
    this.sources.resume();
    if (this.started) this.ui.setState({now: Date.now()});
    this.planClock();
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
    // A crumb is often a name from a daemon (a pod, a container): the breadcrumbs show it sanitised.
    const frame: Frame = {...opening.frame, crumb: safeText(opening.frame.crumb), id: this.nextId++};
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
    this.ui.setState({...nav.switchNamespace({...this.ui.getState(), stack: rest}, namespace, reset), status: {text: safeText(`namespace ${namespace}`), level: 'info'}});
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

  /** The status line's one way in: sanitised here, whatever the message quotes. */
  setStatus(text: string, level: 'info' | 'error' = 'info'): void {
    const shown = safeText(text);
    this.ui.setState({status: {text: shown, level}, busy: undefined});
    this.messages.add(shown, level);
  }

  /** Shows progress of a running action in the status line. */
  report(text: string): void {
    this.ui.setState({busy: safeText(text)});
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
