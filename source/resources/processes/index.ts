import fs from 'node:fs/promises';
import {listPids} from '../../data/containerd/tasks.js';
import {formatBytes} from '../format.js';
import type {ActionResult, ResourceDef} from '../types.js';
import {signalConfirm} from './signals.js';

export interface ProcessRow {
  pid: number;
  command: string;
  state: string;
  rssBytes?: number;
}

/** undock runs on the node, so /proc tells what `ctr tasks ps` does not: the command and its memory. */
async function procInfo(pid: number): Promise<Omit<ProcessRow, 'pid'>> {
  try {
    const [cmdline, status] = await Promise.all([fs.readFile(`/proc/${pid}/cmdline`, 'utf8'), fs.readFile(`/proc/${pid}/status`, 'utf8')]);
    const state = /^State:\s+(.*)$/m.exec(status)?.[1] ?? '';
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return {command: cmdline.split('\0').filter(Boolean).join(' '), state, rssBytes: rss ? Number(rss) * 1024 : undefined};
  } catch {
    return {command: '', state: ''};
  }
}

export const processes: ResourceDef<ProcessRow> = {
  id: 'processes',
  title: 'Processes',
  aliases: [],
  daemon: 'containerd',
  namespaced: false,
  nested: true,
  followsEvents: true,
  viewTitle: (p) => `Processes(${p.namespace}/${p.name})`,
  columns: [
    {id: 'pid', header: 'PID', sortKey: 'P', align: 'right', cell: (r) => String(r.pid), sortValue: (r) => r.pid},
    {id: 'state', header: 'STATE', cell: (r) => r.state},
    {id: 'rss', header: 'RSS', sortKey: 'M', align: 'right', cell: (r) => (r.rssBytes === undefined ? '' : formatBytes(r.rssBytes)), sortValue: (r) => r.rssBytes ?? 0, descendingFirst: true},
    {id: 'command', header: 'COMMAND', grow: true, cell: (r) => r.command},
  ],
  defaultSort: {column: 'pid'},
  rowKey: (r) => String(r.pid),
  load: async (ctx, scope) => {
    const pids = await listPids(ctx.containerd, scope.params.namespace!, scope.params.id!);
    return Promise.all(pids.map(async (p) => ({pid: p.pid, ...(await procInfo(p.pid))})));
  },
  actions: [
    {
      id: 'signal',
      keys: ['x'],
      label: 'signal',
      hint: true,
      // Only opens the picker; sending (enter there) is what changes something.
      run: (r, {scope}): ActionResult => ({
        kind: 'push',
        resource: 'signals',
        params: {...scope.params, pid: String(r.pid), command: r.command},
        crumb: `signal ${r.pid}`,
      }),
    },
    {
      id: 'kill',
      keys: ['ctrl+k'],
      label: 'kill',
      dangerous: true,
      run: (r, {ctx, scope}) => signalConfirm(ctx, scope.params, r.pid, r.command, 'SIGKILL'),
    },
  ],
};
