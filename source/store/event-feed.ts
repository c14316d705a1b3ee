import type {ContainerdClient} from '../data/containerd/client.js';
import {eventContainerId, subscribeEvents, type ContainerdEvent} from '../data/containerd/events.js';
import {errorLine} from '../data/errors.js';
import {ContainerNames} from './container-names.js';
import {createStore, type Store} from './store.js';

export type FeedEvent = ContainerdEvent & {seq: number};

export interface EventFeedState {
  /** Newest last, at most `keep`. */
  events: FeedEvent[];
  connected: boolean;
  error?: string;
  /** When the first subscription was taken as live: nothing before it was recorded. */
  since?: Date;
  /** When it was taken again after the stream was lost: events in between may be missing. */
  resumed?: Date;
}

export interface EventFeedHandlers {
  onEvent: (e: ContainerdEvent) => void;
  /** After every (re)subscribe: containerd has no replay, so callers relist. */
  onConnected: () => void;
  onLost: (error: string) => void;
}

/**
 * containerd's event stream, kept open: re-subscribes with backoff when containerd goes away,
 * and keeps the last events for the :events view.
 */
export class EventFeed {
  readonly store: Store<EventFeedState>;
  private readonly client: ContainerdClient;
  private readonly handlers: EventFeedHandlers;
  private readonly keep: number;
  private sub?: {close(): void};
  private retry?: NodeJS.Timeout;
  private confirm?: NodeJS.Timeout;
  private failures = 0;
  private stopped = true;
  private seq = 0;
  /** Events are recorded in arrival order, each once the name of a container it creates is known. */
  private queue: Promise<void> = Promise.resolve();
  private wasLost = false;
  /** Bumped by start, stop and startAfter: a startAfter whose turn has passed does nothing. */
  private pending = 0;
  readonly names: ContainerNames;

  constructor(client: ContainerdClient, handlers: EventFeedHandlers, keep = 500) {
    this.client = client;
    this.handlers = handlers;
    this.keep = keep;
    this.store = createStore<EventFeedState>({events: [], connected: false});
    this.names = new ContainerNames(client);
  }

  /**
   * Starts a turn after `ready` settles (the first view's rows), or after `capMs`, unless stopped or
   * started meanwhile: subscribing lists every namespace's containers to name them, which competed
   * with the first view's own list and frame (the key tree's first level too); the relist on
   * connecting covers the gap.
   */
  startAfter(ready: Promise<void>, capMs = 500): void {
    const token = ++this.pending;
    const afterTurn = ready.then(() => new Promise<void>((r) => setImmediate(r)));
    void Promise.race([afterTurn, new Promise<void>((r) => setTimeout(r, capMs).unref())]).then(() => {
      if (token === this.pending) this.start();
    });
  }

  start(): void {
    this.pending++;
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.pending++;
    this.stopped = true;
    clearTimeout(this.retry);
    clearTimeout(this.confirm);
    this.sub?.close();
    this.sub = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    const names = this.names.learnAll();
    // Events are recorded from the moment of the subscription: that is the "since", not when it is taken as live.
    const subscribedAt = new Date();
    this.sub = subscribeEvents(this.client, {
      onEvent: (event) => {
        const id = event.topic === '/containers/create' ? eventContainerId(event) : undefined;
        const learning = id ? this.names.learn(event.namespace, id) : undefined;
        // A failure recording one event must not stop the chain for every later one.
        this.queue = this.queue.then(() => learning).then(() => this.record(event)).catch(() => undefined);
      },
      onError: (err) => this.lost(errorLine(err)),
      onEnd: () => this.lost('containerd closed the event stream'),
    });
    // There is no "subscribed" signal: a stream that has not failed shortly after opening is taken
    // as live, and what is shown is relisted so nothing from before the subscription is missed.
    clearTimeout(this.confirm);
    this.confirm = setTimeout(() => {
      if (this.stopped || !this.sub) return;
      this.failures = 0;
      this.store.setState((s) => ({connected: true, error: undefined, ...(!s.since ? {since: subscribedAt} : this.wasLost ? {resumed: subscribedAt} : {})}));
      this.wasLost = false;
      void names.then(() => !this.stopped && this.handlers.onConnected());
    }, 300);
    this.confirm.unref();
  }

  private record(event: ContainerdEvent): void {
    if (this.stopped) return;
    this.failures = 0;
    const e = {...event, seq: ++this.seq};
    const events = this.store.getState().events;
    const next = events.length >= this.keep ? [...events.slice(events.length - this.keep + 1), e] : [...events, e];
    this.names.prune(() => new Set(next.map((x) => `${x.namespace}/${eventContainerId(x) ?? ''}`)));
    this.store.setState({events: next, connected: true, error: undefined});
    this.handlers.onEvent(e);
  }

  private lost(error: string): void {
    if (this.stopped) return;
    clearTimeout(this.confirm);
    this.sub?.close();
    this.sub = undefined;
    this.wasLost = true;
    this.store.setState({connected: false, error});
    this.handlers.onLost(error);
    this.failures++;
    const delay = Math.min(2_000, 250 * 2 ** Math.min(this.failures - 1, 3));
    this.retry = setTimeout(() => this.connect(), delay);
    this.retry.unref();
  }
}
