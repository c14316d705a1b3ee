import {describeAction} from '../confirm.js';
import type {ResourceDef} from '../types.js';

export interface RuntimeRow {
  key: string;
  what: string;
  status: string;
  detail: string;
}

interface CniInfo {
  PluginDirs?: string[];
  PluginConfDir?: string;
  Networks?: Array<{Config?: {Name?: string; CNIVersion?: string; Plugins?: Array<{Network?: {type?: string}}>}; IFName?: string}>;
}

/**
 * `crictl info`: the runtime's conditions (RuntimeReady, NetworkReady) and the CNI networks it
 * loaded, one row each; `d` shows everything CRI Status says (config, cniconfig, last CNI load).
 */
export const runtime: ResourceDef<RuntimeRow> = {
  id: 'runtime',
  title: 'CRI runtime status',
  aliases: ['info', 'criinfo'],
  daemon: 'cri',
  namespaced: false,
  columns: [
    {id: 'what', header: 'WHAT', grow: true, cell: (r) => r.what},
    {id: 'status', header: 'STATUS', cell: (r) => r.status},
    {id: 'detail', header: 'DETAIL', cell: (r) => r.detail},
  ],
  defaultSort: {column: 'what'},
  rowKey: (r) => r.key,
  load: async (ctx) => {
    const {conditions, info} = await ctx.cri.runtimeStatus(true);
    const rows: RuntimeRow[] = conditions.map((c) => ({
      key: `condition:${c.type}`,
      what: c.type,
      status: c.status ? 'true' : 'FALSE',
      detail: [c.reason, c.message].filter(Boolean).join(': '),
    }));
    const cni = info.cniconfig as CniInfo | undefined;
    for (const n of cni?.Networks ?? []) {
      const name = n.Config?.Name ?? '?';
      const plugins = (n.Config?.Plugins ?? []).map((p) => p.Network?.type ?? '?').join(' + ');
      rows.push({key: `cni:${name}:${n.IFName ?? ''}`, what: `CNI network ${name}`, status: n.IFName ?? '', detail: `${plugins} (CNI ${n.Config?.CNIVersion ?? '?'})`});
    }
    if (cni) rows.push({key: 'cni:dirs', what: 'CNI config dir', status: '', detail: `${cni.PluginConfDir ?? '?'}; plugins in ${(cni.PluginDirs ?? []).join(', ')}`});
    const load = info.lastCNILoadStatus;
    if (load !== undefined) rows.push({key: 'cni:load', what: 'last CNI load', status: load === 'OK' ? 'OK' : 'FAILED', detail: load === 'OK' ? '' : String(load)});
    return rows;
  },
  actions: [
    describeAction(
      () => 'CRI runtime status (crictl info)',
      async (_r, {ctx}) => {
        const {conditions, info} = await ctx.cri.runtimeStatus(true);
        return {conditions, ...info};
      },
      ['d', 'enter'],
    ),
  ],
};
