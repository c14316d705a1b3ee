import type {ViewDef} from '../types.js';
import {describeBindings} from './controller.js';
import {DescribeFeed, describeModel, type DescribeState} from './model.js';
import {Detail} from './view.js';

/** `d`: what the API says about a row, loaded when the view opens, as YAML (y for JSON). */
export const describeView: ViewDef<DescribeState> = {
  id: 'describe',
  aliases: [],
  title: 'describe',
  openWith: (_app, p: {title: string; load: () => Promise<unknown>}) => ({
    frame: {view: 'describe', crumb: 'describe', state: {title: p.title, scroll: 0, format: 'yaml'}},
    feeds: [new DescribeFeed(p.load)],
  }),
  component: Detail,
  model: describeModel,
  bindings: () => describeBindings,
  heading: () => 'describe',
};
