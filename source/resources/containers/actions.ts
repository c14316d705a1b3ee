import {deleteContainer, getContainer} from '../../data/containerd/containers.js';
import {restartTask} from '../../data/containerd/signal.js';
import {getTask, killTask, pauseTask, resumeTask, startTask, stopTask} from '../../data/containerd/tasks.js';
import {attachAction} from './attach.js';
import {confirm, describeAction} from '../confirm.js';
import {imageLink} from '../links.js';
import type {Action, ActionResult} from '../types.js';
import type {ContainerRow} from './source.js';
import {logsAction, shellAction, type ContainerTarget} from './exec-and-logs.js';

const target = (r: ContainerRow): ContainerTarget => ({
  namespace: r.namespace,
  id: r.id,
  name: r.name,
  labels: r.labels,
  cri: 'io.kubernetes.pod.uid' in r.labels,
});

/** How long stop waits after SIGTERM before SIGKILL, as docker and nerdctl do by default. */
export const STOP_GRACE_MS = 10_000;

const SIGKILL = 9;

function who(r: ContainerRow): string {
  return r.name === r.id ? `container ${r.id}` : `container ${r.name} (${r.id})`;
}

function where(r: ContainerRow): string {
  return `namespace ${r.namespace}, image ${r.image || '-'}`;
}

function taskLine(r: ContainerRow): string {
  if (r.status === 'no task') return 'it has no task';
  return `its task is ${r.status}${r.pid ? `, pid ${r.pid}` : ''}`;
}

/** Stop and kill need a task that runs (or is paused). */
function notRunning(r: ContainerRow): string | undefined {
  return r.status === 'running' || r.status === 'paused' ? undefined : `${who(r)} is not running (${r.status})`;
}

/** `i`: the container's image. */
const imageAction: Action<ContainerRow> = {id: 'image', keys: ['i'], label: 'its image', run: (r, {ctx, scope}) => imageLink(ctx, scope.namespace, r)};

export const containerActions: Action<ContainerRow>[] = [
  {
    id: 'processes',
    keys: ['enter'],
    label: 'processes',
    hint: true,
    run: (r): ActionResult => ({kind: 'push', resource: 'processes', params: {namespace: r.namespace, id: r.id, name: r.name}, crumb: `${r.name}`}),
  },
  describeAction(
    (r) => `${r.namespace}/${r.name}`,
    async (r, {ctx}) => {
      const [container, task] = await Promise.all([getContainer(ctx.containerd, r.namespace, r.id), getTask(ctx.containerd, r.namespace, r.id)]);
      return {task: task ?? null, container};
    },
  ),
  logsAction(target),
  shellAction(target),
  attachAction(target, (r) => r.status),
  {
    id: 'restart',
    keys: ['r'],
    label: 'restart',
    hint: true,
    dangerous: true,
    disabledReason: (r) => (r.status === 'paused' ? `${who(r)} is paused: resume it first` : undefined),
    run: (r, {ctx, report}) =>
      confirm(
        `Restart ${who(r)}?`,
        [where(r), taskLine(r), `stop (SIGTERM, SIGKILL after ${STOP_GRACE_MS / 1000} s), then a new task from the same spec, snapshot and IO`],
        'Restart',
        async () => {
          const task = await restartTask(ctx.containerd, r.namespace, r.id, STOP_GRACE_MS, (phase) => {
            if (phase === 'sigterm') report(`restarting ${r.name}: SIGTERM sent, waiting up to ${STOP_GRACE_MS / 1000} s`);
            if (phase === 'sigkill') report(`restarting ${r.name}: still running, SIGKILL sent`);
          });
          return `restarted ${r.name} (pid ${task.pid})`;
        },
      ),
  },
  {
    id: 'start',
    keys: ['t'],
    label: 'start',
    hint: true,
    dangerous: true,
    disabledReason: (r) => (r.status === 'running' || r.status === 'paused' ? `${who(r)} is already ${r.status}` : undefined),
    run: (r, {ctx}) =>
      confirm(`Start ${who(r)}?`, [where(r), `${taskLine(r)}; a new task is created and started`], 'Start', async () => {
        const task = await startTask(ctx.containerd, r.namespace, r.id);
        return `started ${r.name} (pid ${task.pid})`;
      }),
  },
  {
    id: 'stop',
    keys: ['x'],
    label: 'stop',
    hint: true,
    dangerous: true,
    disabledReason: notRunning,
    run: (r, {ctx, report}) =>
      confirm(
        `Stop ${who(r)}?`,
        [where(r), `${taskLine(r)}`, `SIGTERM, then SIGKILL if it is still running after ${STOP_GRACE_MS / 1000} s`],
        'Stop',
        async () => {
          const task = await stopTask(ctx.containerd, r.namespace, r.id, STOP_GRACE_MS, (phase) => {
            if (phase === 'sigterm') report(`stopping ${r.name}: SIGTERM sent, waiting up to ${STOP_GRACE_MS / 1000} s`);
            if (phase === 'sigkill') report(`stopping ${r.name}: still running, SIGKILL sent`);
          });
          return `stopped ${r.name}${task.exitStatus !== undefined ? ` (exit ${task.exitStatus})` : ''}`;
        },
      ),
  },
  {
    id: 'kill',
    keys: ['ctrl+k'],
    label: 'kill',
    dangerous: true,
    disabledReason: notRunning,
    run: (r, {ctx}) =>
      confirm(`Kill ${who(r)}?`, [where(r), taskLine(r), 'SIGKILL to every process, no grace period'], 'Kill', async () => {
        await killTask(ctx.containerd, r.namespace, r.id, SIGKILL, {all: true});
        return `killed ${r.name}`;
      }),
  },
  {
    id: 'pause',
    keys: ['p'],
    label: 'pause/resume',
    dangerous: true,
    disabledReason: notRunning,
    run: (r, {ctx}) => {
      if (r.status === 'paused') {
        return confirm(`Resume ${who(r)}?`, [where(r), taskLine(r)], 'Resume', async () => {
          await resumeTask(ctx.containerd, r.namespace, r.id);
          return `resumed ${r.name}`;
        });
      }
      return confirm(`Pause ${who(r)}?`, [where(r), taskLine(r), 'every process is frozen until resumed'], 'Pause', async () => {
        await pauseTask(ctx.containerd, r.namespace, r.id);
        return `paused ${r.name}`;
      });
    },
  },
  {
    id: 'delete',
    keys: ['ctrl+d'],
    label: 'delete',
    hint: true,
    dangerous: true,
    run: (r, {ctx}) => {
      const lines = [where(r)];
      if (r.status === 'running' || r.status === 'paused') lines.push(`its task is ${r.status} (pid ${r.pid}): it is killed with SIGKILL`);
      else lines.push(taskLine(r));
      lines.push('the container record and its snapshot (its writable layer) are removed');
      if (r.labels['undock/cni']) lines.push('its network is released (CNI DEL: its IP and published ports) and its network namespace removed');
      if (r.namespace === 'k8s.io') lines.push('namespace k8s.io: the kubelet/CRI may recreate or miss it');
      return confirm(`Delete ${who(r)}?`, lines, 'Delete', async () => {
        await deleteContainer(ctx.containerd, r.namespace, r.id, {cniPluginDirs: ctx.config.cniPath});
        return `deleted ${r.name}`;
      });
    },
  },
  imageAction,
];
