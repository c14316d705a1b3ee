import {resources} from '../resources/registry.js';
import type {ViewLookup} from '../store/app-store.js';
import {describeView} from './describe/index.js';
import {driftView} from './drift/index.js';
import {helpView} from './help/index.js';
import {keys2View, keysView} from './keys/index.js';
import {logsView} from './logs/index.js';
import {messagesView} from './messages/index.js';
import {tableView} from './table/index.js';
import type {ViewDef} from './types.js';

/** The one list of views: a view is its folder plus one line here (each table resource is one through tableView). */
export const views: ViewDef[] = [...resources.map(tableView), keysView, keys2View, driftView, logsView, describeView, helpView, messagesView];

export function findView(name: string): ViewDef | undefined {
  const n = name.toLowerCase();
  return views.find((v) => v.id === n) ?? views.find((v) => v.aliases.includes(n));
}

/** Every name `:` and `--view` accept: the ids and aliases of views that can be opened by name. */
export const viewCommandNames: string[] = views.filter((v) => v.open).flatMap((v) => [v.id, ...v.aliases]);

export const registry: ViewLookup & {find(name: string): ViewDef | undefined} = {
  find: findView,
  commandNames: () => viewCommandNames,
};

/** What `--view` accepts, for the config: the same names as `:`. */
export const viewFlagNames = {
  resolve: (name: string) => (viewCommandNames.includes(name.toLowerCase()) ? findView(name)?.id : undefined),
  ids: views.filter((v) => v.open).map((v) => v.id),
};
