// `r` in the images view: run a container as `nerdctl run` does (name, command, env, -p, -l, -d / -it, --restart).
import {loadNetworkList} from '../../data/cni/network.js';
import {formatPort, parsePorts} from '../../data/cni/ports.js';
import {runContainer} from '../../data/containerd/run.js';
import {parseLabels} from '../../data/containerd/run-spec.js';
import {UndockError} from '../../data/errors.js';
import {attachTo} from '../containers/attach.js';
import {splitCommand} from '../words.js';
import type {Action, ActionResult, DataContext} from '../types.js';
import {CRI_NAMESPACE, type ImageRow} from './source.js';

const MODES = ['detached', 'attached', 'tty'] as const;

function choice<T extends string>(field: string, value: string, allowed: readonly T[], fallback: T): T {
  const v = (value.trim() || fallback) as T;
  if (!allowed.includes(v)) throw new UndockError('invalid', `run: ${field} must be ${allowed.join(' or ')} (got "${value.trim()}")`);
  return v;
}

async function submitRun(r: ImageRow, ns: string, ctx: DataContext, v: Record<string, string>): Promise<ActionResult> {
  const name = v.name!.trim();
  const ports = parsePorts(v.ports ?? '');
  const mode = choice('mode', v.mode ?? '', MODES, 'detached');
  const restart = choice('restart', v.restart ?? '', ['no', 'always'] as const, 'no') === 'always';
  const network = choice('network', v.network ?? '', ['host', 'cni', 'none'] as const, ports.length ? 'cni' : 'host');
  const c = ctx.config;
  const result = await runContainer(ctx.containerd, ns, {
    image: r.ref,
    name,
    command: splitCommand(v.command ?? ''),
    env: splitCommand(v.env ?? ''),
    labels: parseLabels(splitCommand(v.labels ?? '')),
    ports,
    hostNetwork: network === 'host',
    cni: network === 'cni' ? {network: loadNetworkList(c.cniConflist), pluginDirs: c.cniPath} : undefined,
    runDir: c.runDir,
    tty: mode !== 'detached',
    restart,
    logDir: c.logDir,
    runcRoot: c.runcRoot,
    cgroupParent: c.cgroupParent,
  });
  if (mode === 'attached') return attachTo({namespace: ns, id: result.id, name, labels: {'undock/tty': 'yes'}, cri: false}, ctx);
  const where = [
    result.ip ? `ip ${result.ip}` : '',
    ports.length ? `ports ${ports.map(formatPort).join(' ')}` : '',
    result.logPath ? `logs in ${result.logPath}` : 'TTY: a in :co attaches',
    restart ? 'restarted on exit by containerd' : '',
  ].filter(Boolean);
  return {kind: 'status', text: `started ${name} (pid ${result.pid}); ${where.join('; ')}; :co shows it`};
}

export const runAction: Action<ImageRow> = {
  id: 'run',
  keys: ['r'],
  label: 'run',
  hint: true,
  dangerous: true,
  run: (r, {ctx, scope}): ActionResult => {
    const lines = [
      `image ${r.ref}, namespace ${scope.namespace}, host network unless ports or a network are given`,
      `detached output goes to ${ctx.config.logDir}/${scope.namespace}/<name>.log`,
      `ports use CNI network ${ctx.config.cniConflist ?? "undock's default (bridge undock0, 10.77.0.0/24)"} in the container's own network namespace`,
    ];
    if (scope.namespace === CRI_NAMESPACE) {
      lines.unshift('Warning: namespace k8s.io belongs to the kubelet, which removes containers it did not create.');
    }
    const base = r.repository.split('/').pop()!.replace(/[^a-zA-Z0-9_.-]/g, '-');
    return {
      kind: 'form',
      title: `Run a container from ${r.ref}`,
      lines,
      submitLabel: 'run',
      fields: [
        {id: 'name', label: 'name', value: `${base}-${Math.random().toString(36).slice(2, 7)}`},
        {id: 'command', label: 'command', value: '', hint: "empty: the image's own; e.g. sh -c 'echo hi; sleep 3600'"},
        {id: 'env', label: 'env', value: '', hint: 'KEY=VALUE KEY2=VALUE2'},
        {id: 'ports', label: 'ports', value: '', hint: '-p HOST:CONTAINER[/tcp|udp], e.g. 8080:80 5353:53/udp'},
        {id: 'network', label: 'network', value: '', hint: "host, cni (its own netns on the CNI bridge) or none (only lo); empty: cni with ports, else host"},
        {id: 'labels', label: 'labels', value: '', hint: 'KEY=VALUE KEY2=VALUE2'},
        {id: 'mode', label: 'mode', value: 'detached', hint: 'detached (-d), attached (-it: the terminal goes to its TTY), tty (-dit: attach later with a)'},
        {id: 'restart', label: 'restart', value: 'no', hint: "no or always (containerd's restart monitor, about every 10 s, also while undock is not running)"},
      ],
      submit: (v) => submitRun(r, scope.namespace, ctx, v),
    };
  },
};
