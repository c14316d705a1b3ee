import type {Forward} from '../../data/cri/port-forward.js';
import {ageColumn} from '../format.js';
import type {ResourceDef} from '../types.js';

/** The port-forwards this undock runs (k9s's :pf): started with F on a pod, stopped here. */
export const forwards: ResourceDef<Forward> = {
  id: 'forwards',
  title: 'Port-forwards',
  aliases: ['pf', 'portforwards'],
  daemon: 'cri',
  namespaced: false,
  columns: [
    {id: 'pod', header: 'POD', sortKey: 'N', grow: true, cell: (r) => r.pod},
    {id: 'local', header: 'LOCAL', cell: (r) => `127.0.0.1:${r.localPort}`},
    {id: 'port', header: 'CONTAINER PORT', align: 'right', cell: (r) => String(r.containerPort)},
    {id: 'conns', header: 'CONNS', align: 'right', cell: (r) => `${r.active}/${r.connections}`},
    {id: 'error', header: 'LAST ERROR', cell: (r) => r.lastError ?? ''},
    ageColumn((r) => r.startedAt),
  ],
  defaultSort: {column: 'pod'},
  rowKey: (r) => r.id,
  load: async (ctx) => ctx.forwards.list(),
  actions: [
    {
      id: 'stop',
      keys: ['ctrl+d'],
      label: 'stop forward',
      hint: true,
      run: (r, {ctx}) => {
        ctx.forwards.stop(r.id);
        return {kind: 'status', text: `stopped forwarding 127.0.0.1:${r.localPort} to ${r.pod}:${r.containerPort}`};
      },
    },
  ],
};
