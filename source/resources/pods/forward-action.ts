// F on a pod (k9s's shift-f): forward a local 127.0.0.1 port to a port in the pod's network, through CRI PortForward.
import {UndockError} from '../../data/errors.js';
import type {Action, ActionResult} from '../types.js';
import type {PodRow} from './source.js';

function port(text: string, what: string, allowZero: boolean): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) throw new UndockError('invalid', `port-forward: ${what} "${text}" is not a port`, `give 1-65535${allowZero ? ' (0: any free port)' : ''}`);
  return n;
}

export const forwardAction: Action<PodRow> = {
  id: 'port-forward',
  keys: ['F'],
  label: 'port-forward',
  hint: true,
  dangerous: true,
  disabledReason: (r) => (r.state === 'Ready' ? undefined : `pod ${r.name} is not ready`),
  run: (r, {ctx}): ActionResult => ({
    kind: 'form',
    title: `Port-forward to pod ${r.namespace}/${r.name}`,
    lines: ['listens on 127.0.0.1 only; each connection is one CRI PortForward stream into the pod network', ':pf lists the forwards, ctrl-d there stops one'],
    submitLabel: 'forward',
    fields: [
      {id: 'containerPort', label: 'container port', value: '', hint: 'the port a container of the pod listens on, e.g. 80'},
      {id: 'localPort', label: 'local port', value: '', hint: 'empty: the same number; 0: any free port'},
    ],
    submit: async (v) => {
      const containerPort = port(v.containerPort!.trim(), 'container port', false);
      const localPort = v.localPort!.trim() === '' ? containerPort : port(v.localPort!.trim(), 'local port', true);
      const f = await ctx.forwards.start(ctx.cri.conn, r.id, `${r.namespace}/${r.name}`, containerPort, localPort);
      return {kind: 'status', text: `forwarding 127.0.0.1:${f.localPort} to ${f.pod}:${f.containerPort}; :pf lists forwards`};
    },
  }),
};
