// Attaching to the TTY of a task undock started with one (`undock/tty`): its FIFOs, read and written while attached.
import type net from 'node:net';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {getContainer} from './containers.js';
import {openFifo} from './exec-fifos.js';
import {runningTask} from './exec.js';
import {TTY_LABEL, prepareTty} from './tty.js';

const tasksProto = 'containerd/services/tasks/v1/tasks.proto';
const tasksService = 'containerd.services.tasks.v1.Tasks';

export interface AttachSession {
  stdin: net.Socket;
  stdout: net.Socket;
  resize(cols: number, rows: number): Promise<void>;
  /** The task's exit code, when it exits while attached. */
  exited: Promise<number>;
  /** Lets go of the FIFOs; the task keeps running (its TTY's holder keeps stdin open). */
  detach(): void;
}

/** Whether a container has a TTY undock can attach to, and if not, why. */
export function attachProblem(labels: Record<string, string>, name: string): string | undefined {
  return labels[TTY_LABEL] ? undefined : `${name} was not started by undock with a TTY (run it from the images view with mode attached or tty)`;
}

export async function attachTask(c: ContainerdClient, ns: string, id: string): Promise<AttachSession> {
  const container = await getContainer(c, ns, id);
  const problem = attachProblem(container.labels, id);
  if (problem) throw new UndockError('invalid', problem);
  await runningTask(c, ns, id);
  // Also brings the holder back if it was lost (a reboot clears /run): then stdin works again.
  const paths = prepareTty(container.labels[TTY_LABEL]!);
  const stdout = openFifo(paths.stdout, 'read');
  const stdin = openFifo(paths.stdin, 'write');
  const abort = new AbortController();
  const exited = c.conn
    .unary<object, {exit_status?: number}>(tasksProto, tasksService, 'Wait', {container_id: id, exec_id: ''}, {namespace: ns, deadlineMs: 0, signal: abort.signal})
    .then((r) => r.exit_status ?? 0);
  exited.catch(() => undefined);
  return {
    stdin,
    stdout,
    resize: async (cols, rows) => {
      await c.conn.unary(tasksProto, tasksService, 'ResizePty', {container_id: id, exec_id: '', width: cols, height: rows}, {namespace: ns});
    },
    exited,
    detach: () => {
      abort.abort(new UndockError('invalid', 'detached'));
      stdin.destroy();
      stdout.destroy();
    },
  };
}
