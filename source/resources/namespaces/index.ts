import {formatLabels} from '../format.js';
import type {ResourceDef} from '../types.js';
import type {Namespace} from '../../data/containerd/client.js';

export const namespaces: ResourceDef<Namespace> = {
  id: 'namespaces',
  title: 'Namespaces',
  aliases: ['ns', 'namespace'],
  daemon: 'containerd',
  namespaced: false,
  opensOnTop: true,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
    {id: 'labels', header: 'LABELS', grow: true, cell: (r) => formatLabels(r.labels) || '-'},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.name,
  labels: (r) => r.labels,
  load: (ctx) => ctx.containerd.listNamespaces(),
  actions: [
    {
      id: 'use-namespace',
      keys: ['enter', 'u'],
      label: 'use namespace',
      hint: true,
      run: (row) => ({kind: 'set-namespace', namespace: row.name}),
    },
  ],
};
