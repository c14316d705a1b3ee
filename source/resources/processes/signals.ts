import {signalNumber, signalProcess, SIGNALS} from '../../data/containerd/signal.js';
import {confirm} from '../confirm.js';
import type {DataContext, ResourceDef} from '../types.js';

export interface SignalRow {
  name: string;
  number: number;
  what: string;
}

const WHAT: Record<string, string> = {
  SIGTERM: 'ask it to end (the default of kill and docker stop)',
  SIGKILL: 'end it at once; it cannot be caught',
  SIGHUP: 'hang up; many daemons reload their configuration',
  SIGINT: 'interrupt, as ctrl-c',
  SIGQUIT: 'quit; many programs dump their state',
  SIGUSR1: 'user-defined 1',
  SIGUSR2: 'user-defined 2',
  SIGSTOP: 'freeze it; it cannot be caught',
  SIGCONT: 'thaw a stopped process',
  SIGWINCH: 'the terminal size changed',
};

/** Asks, then signals process pid of the container named by params (namespace, id, name). */
export function signalConfirm(ctx: DataContext, params: Record<string, string>, pid: number, command: string, signal: string) {
  const {namespace = '', id = '', name = id} = params;
  return confirm(
    `Send ${signal} to process ${pid} of ${name}?`,
    [`namespace ${namespace}, container ${name}`, `process ${pid}: ${command || '?'}`, `${signal}: ${WHAT[signal] ?? ''}`],
    `Send ${signal}`,
    async () => {
      const how = await signalProcess(ctx.containerd, namespace, id, pid, signalNumber(signal));
      return `sent ${signal} to process ${pid} of ${name}${how === 'task' ? ' (its init process)' : ''}`;
    },
  );
}

/** The signal picker of a process (from the processes view): enter sends the selected one, after a confirmation. */
export const signals: ResourceDef<SignalRow> = {
  id: 'signals',
  title: 'Signals',
  aliases: [],
  daemon: 'containerd',
  namespaced: false,
  nested: true,
  viewTitle: (p) => `Signal process ${p.pid} of ${p.namespace}/${p.name}`,
  columns: [
    {id: 'name', header: 'SIGNAL', cell: (r) => r.name},
    {id: 'number', header: 'NO', align: 'right', cell: (r) => String(r.number), sortValue: (r) => r.number},
    {id: 'what', header: 'WHAT IT DOES', grow: true, cell: (r) => r.what},
  ],
  defaultSort: {column: 'none'},
  rowKey: (r) => r.name,
  load: async () => SIGNALS.map((name) => ({name, number: signalNumber(name), what: WHAT[name] ?? ''})),
  actions: [
    {
      id: 'send',
      keys: ['enter'],
      label: 'send',
      hint: true,
      dangerous: true,
      run: (r, {ctx, scope}) => signalConfirm(ctx, scope.params, Number(scope.params.pid), scope.params.command ?? '', r.name),
    },
  ],
};
