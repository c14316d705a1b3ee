import {errorLine} from '../../data/errors.js';
import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';
import {createStore, type Store} from '../../store/store.js';
import {toJsonLines, toYamlLines, type Line} from '../../ui/yaml.js';

export interface DescribeState {
  title: string;
  scroll: number;
  format: 'yaml' | 'json';
}

export interface DetailState {
  loading: boolean;
  value?: unknown;
  error?: string;
}

/** What a describe frame owns: the answer to its one load (a late answer after the frame went is dropped). */
export class DescribeFeed {
  readonly store: Store<DetailState> = createStore<DetailState>({loading: true});
  private stopped = false;

  constructor(load: () => Promise<unknown>) {
    load().then(
      (value) => !this.stopped && this.store.setState({loading: false, value}),
      (err) => !this.stopped && this.store.setState({loading: false, error: errorLine(err)}),
    );
  }

  stop(): void {
    this.stopped = true;
  }
}

const cache = new WeakMap<object, Map<string, Line[]>>();

/** The value as coloured lines, computed once per value and format. */
export function describeLines(value: unknown, format: 'yaml' | 'json'): Line[] {
  if (value === undefined) return [];
  const key = typeof value === 'object' && value !== null ? value : {value};
  let byFormat = cache.get(key);
  if (!byFormat) cache.set(key, (byFormat = new Map()));
  let lines = byFormat.get(format);
  if (!lines) byFormat.set(format, (lines = format === 'json' ? toJsonLines(value) : toYamlLines(value)));
  return lines;
}

export function describeModel(app: AppController, frame: Frame<DescribeState>, size: ViewSize): ViewModel {
  const feed = app.feed<DescribeFeed>(frame.id);
  const lines = feed ? describeLines(feed.store.getState().value, frame.state.format) : [];
  return {count: lines.length, pageSize: Math.max(1, size.height - 1), rowAt: () => undefined};
}
