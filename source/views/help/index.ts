import type {ViewDef} from '../types.js';
import type {HelpState} from './model.js';
import {Help} from './view.js';

/** `?`: a view of its own over the one it explains; any of its keys closes it. */
export const helpView: ViewDef<HelpState> = {
  id: 'help',
  aliases: [],
  title: 'help',
  openWith: (_app, p: {of: number}) => ({frame: {view: 'help', crumb: 'help', state: {of: p.of}}}),
  component: Help,
  model: () => ({count: 0, pageSize: 1, rowAt: () => undefined}),
  bindings: () => [{id: 'close', keys: ['esc', '?', 'q', 'enter'], label: 'close help', run: ({app}) => void app.back()}],
  heading: () => 'help',
};
