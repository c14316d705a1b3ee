// `l`, `s`, `p` on a pod act on its container, as in k9s: at once when it has one, else through a pick.
import type {CriContainerRecord} from '../../data/cri/containers.js';
import {logsOf, shellInto, type ContainerTarget} from '../containers/exec-and-logs.js';
import type {Action, ActionEnv, ActionResult} from '../types.js';
import {latestAttempts, type PodRow} from './source.js';

export type PodContainerAction = 'logs' | 'shell' | 'previous';

export const criTarget = (c: CriContainerRecord): ContainerTarget => ({namespace: 'k8s.io', id: c.id, name: c.name, labels: c.labels, cri: true});

/** What a picked container gets: the action the pod's key asked for. */
export function actOnContainer(what: PodContainerAction, c: CriContainerRecord, env: ActionEnv): Promise<ActionResult> | ActionResult {
  if (what === 'shell') {
    if (c.state !== 'running') return {kind: 'status', level: 'error', text: `container ${c.name} is not running (${c.state})`};
    return shellInto(criTarget(c), env.ctx, env.args);
  }
  return logsOf(criTarget(c), env.ctx, {previous: what === 'previous'});
}

const wanted: Record<PodContainerAction, {label: string; fits: (c: CriContainerRecord) => boolean; none: string}> = {
  logs: {label: 'logs', fits: () => true, none: 'has no containers'},
  shell: {label: 'shell', fits: (c) => c.state === 'running', none: 'has no running container'},
  previous: {label: 'previous logs', fits: (c) => c.attempt > 0, none: 'has no restarted container (no previous attempt)'},
};

function podAction(what: PodContainerAction, keys: string[], id: string, dangerous = false): Action<PodRow> {
  const {label, fits, none} = wanted[what];
  return {
    id,
    keys,
    label,
    hint: what !== 'previous',
    dangerous,
    run: async (r, env) => {
      const fitting = latestAttempts(await env.ctx.cri.listContainers({podSandboxId: r.id})).filter(fits);
      if (fitting.length === 0) return {kind: 'status', level: 'error', text: `pod ${r.namespace}/${r.name} ${none}`};
      if (fitting.length === 1) return actOnContainer(what, fitting[0]!, env);
      // Several: the pod's containers, where enter does what was asked.
      const params: Record<string, string> = {podId: r.id, pod: `${r.namespace}/${r.name}`, pick: what};
      if (env.args?.length) params.args = JSON.stringify(env.args);
      return {kind: 'push', resource: 'pod-containers', params, crumb: r.name};
    },
  };
}

export const podContainerActions: Action<PodRow>[] = [
  podAction('logs', ['l'], 'logs'),
  // Exec starts a process in the container: refused under --readonly, but not asked about.
  podAction('shell', ['s'], 'shell', true),
  podAction('previous', ['p'], 'previous-logs'),
];
