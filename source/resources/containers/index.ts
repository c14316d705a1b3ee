import {sameNamespace} from '../event-scope.js';
import type {ResourceDef} from '../types.js';
import {containerActions} from './actions.js';
import {containerColumns} from './columns.js';
import {loadContainers, sampleContainers, type ContainerRow} from './source.js';

export const containers: ResourceDef<ContainerRow> = {
  id: 'containers',
  title: 'Containers',
  aliases: ['co', 'ctr', 'container'],
  daemon: 'containerd',
  namespaced: true,
  allNamespaces: true,
  followsEvents: sameNamespace,
  columns: containerColumns,
  defaultSort: {column: 'name'},
  rowKey: (r) => `${r.namespace}/${r.id}`,
  labels: (r) => r.labels,
  load: (ctx, scope) => loadContainers(ctx, scope),
  sample: (ctx, rows) => sampleContainers(ctx, rows),
  actions: containerActions,
};
