import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';
import type {LogFeed, LogFeedState} from './feed.js';

export interface LogsState {
  title: string;
  follow: boolean;
  wrap: boolean;
  timestamps: boolean;
  /** A plain file (a native task's log) has no timestamps to show. */
  plain?: boolean;
  /** Sequence number of the first line shown when not following. */
  top: number;
  search: string;
  /** Sequence number of the current search match, if any. */
  match?: number;
}

export interface LogsModel extends ViewModel {
  feed: LogFeed;
  lines: LogFeedState['lines'];
  first: number;
  /** The top line when the last page shows. */
  lastTop: number;
  /** Where the view is now, as a line number, whether following or not. */
  currentTop: number;
}

export function logsModel(app: AppController, frame: Frame<LogsState>, size: ViewSize): LogsModel | undefined {
  const feed = app.feed<LogFeed>(frame.id);
  if (!feed) return undefined;
  const {lines, first} = feed.store.getState();
  const pageSize = Math.max(1, size.height - 1);
  const lastTop = first + Math.max(0, lines.length - pageSize);
  return {
    feed,
    lines,
    first,
    lastTop,
    currentTop: frame.state.follow ? lastTop : frame.state.top,
    count: lines.length,
    pageSize,
    rowAt: (i) => lines[i],
  };
}
