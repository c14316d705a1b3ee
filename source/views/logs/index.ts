import type {LogSourceSpec} from '../../resources/types.js';
import type {ViewDef} from '../types.js';
import {logsBindings} from './controller.js';
import {LogFeed} from './feed.js';
import {logsModel, type LogsState} from './model.js';
import {Logs} from './view.js';

/** `l`: a container's log, followed live; the frame owns its follower, stopped whenever the frame goes. */
export const logsView: ViewDef<LogsState> = {
  id: 'logs',
  aliases: [],
  title: 'logs',
  openWith: (app, p: {title: string; crumb: string; source: LogSourceSpec}) => {
    const feed = new LogFeed(p.source, {tail: app.ctx.config.logTail, keep: app.ctx.config.logKeep, follow: app.ctx.followLog});
    feed.start();
    return {
      frame: {view: 'logs', crumb: p.crumb, state: {title: p.title, follow: true, wrap: false, timestamps: false, plain: p.source.format === 'plain', top: 0, search: ''}},
      feeds: [feed],
    };
  },
  component: Logs,
  model: (app, frame, size) => logsModel(app, frame, size) ?? {count: 0, pageSize: 1, rowAt: () => undefined},
  bindings: () => logsBindings,
  // In a log view `/` searches (matches are highlighted) instead of filtering.
  filter: {label: 'search', prefill: true, get: (s) => s.search, set: (_s, text) => ({search: text, match: undefined})},
  heading: () => 'logs',
};
