// Restart on exit through containerd's own restart monitor (plugin io.containerd.internal.v1.restart):
// it starts a container's task again, every 10 s by default, while the status label says running,
// whether or not undock runs. Stop and delete say "stopped" first, or the monitor would undo them.
import type {ContainerdClient} from './client.js';

// Named here, not imported from containers.ts: that module uses this one.
const containersProto = 'containerd/services/containers/v1/containers.proto';
const containersService = 'containerd.services.containers.v1.Containers';

export const RESTART_STATUS_LABEL = 'containerd.io/restart.status';
export const RESTART_LOG_URI_LABEL = 'containerd.io/restart.loguri';

export function hasRestartPolicy(labels: Record<string, string> | undefined): boolean {
  return labels?.[RESTART_STATUS_LABEL] !== undefined;
}

/** Sets the given labels only (others untouched); an empty value removes a label. */
export async function updateLabels(c: ContainerdClient, ns: string, id: string, labels: Record<string, string>): Promise<void> {
  await c.conn.unary(
    containersProto,
    containersService,
    'Update',
    {container: {id, labels: Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''))}, update_mask: {paths: Object.keys(labels).map((k) => `labels.${k}`)}},
    {namespace: ns},
  );
}

/** What the monitor should keep the task at; a container without the policy is left alone. */
export async function setRestartStatus(c: ContainerdClient, ns: string, id: string, labels: Record<string, string>, status: 'running' | 'stopped'): Promise<void> {
  if (!hasRestartPolicy(labels) || labels[RESTART_STATUS_LABEL] === status) return;
  await updateLabels(c, ns, id, {[RESTART_STATUS_LABEL]: status});
}
