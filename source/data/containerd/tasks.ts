import os from 'node:os';
import {UndockError} from '../errors.js';
import {decodeAny, type PbAny} from '../grpc/any.js';
import {toDate, type PbTimestamp} from '../grpc/types.js';
import type {ContainerdClient} from './client.js';
import {setRestartStatus} from './restart-policy.js';
import {prepareTty, TTY_LABEL} from './tty.js';

const tasksProto = 'containerd/services/tasks/v1/tasks.proto';
const tasksService = 'containerd.services.tasks.v1.Tasks';
// Read here directly (not through containers.ts, which needs this module to delete containers).
const containersProto = 'containerd/services/containers/v1/containers.proto';
const containersService = 'containerd.services.containers.v1.Containers';
const snapshotsProto = 'containerd/services/snapshots/v1/snapshots.proto';
const snapshotsService = 'containerd.services.snapshots.v1.Snapshots';

/** A container label holding a file:/// URI: the task's stdout and stderr go there (see the sandbox seed). */
export const logUriLabel = 'undock/log-uri';

const SIGTERM = os.constants.signals.SIGTERM;
const SIGKILL = os.constants.signals.SIGKILL;
/** How long to wait for a task to go after SIGKILL before giving up. */
const KILL_WAIT_MS = 10_000;

export type TaskStatus = 'created' | 'running' | 'stopped' | 'paused' | 'pausing' | 'unknown';

export interface TaskRecord {
  /** The container id (a task is a container's init process). */
  id: string;
  pid: number;
  status: TaskStatus;
  /** Only for stopped tasks. */
  exitStatus?: number;
  exitedAt?: Date;
  stdin?: string;
  stdout?: string;
  stderr?: string;
}

export interface TaskExit {
  exitStatus: number;
  exitedAt?: Date;
}

interface PbProcess {
  container_id: string;
  id: string;
  pid: number;
  status: string;
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  exit_status: number;
  exited_at: PbTimestamp | null;
}

interface PbMount {
  type: string;
  source: string;
  target: string;
  options: string[];
}

function toTaskStatus(s: string): TaskStatus {
  const lower = (s ?? '').toLowerCase();
  return lower === 'created' || lower === 'running' || lower === 'stopped' || lower === 'paused' || lower === 'pausing' ? lower : 'unknown';
}

function toTaskRecord(p: PbProcess): TaskRecord {
  const status = toTaskStatus(p.status);
  const rec: TaskRecord = {id: p.container_id || p.id, pid: p.pid, status};
  if (status === 'stopped') {
    rec.exitStatus = p.exit_status;
    rec.exitedAt = toDate(p.exited_at);
  }
  if (p.stdin) rec.stdin = p.stdin;
  if (p.stdout) rec.stdout = p.stdout;
  if (p.stderr) rec.stderr = p.stderr;
  return rec;
}

function isKind(e: unknown, kind: UndockError['kind']): boolean {
  return e instanceof UndockError && e.kind === kind;
}

function ignoreNotFound(e: unknown): undefined {
  if (isKind(e, 'not-found')) return undefined;
  throw e;
}

/** Every task in a namespace, in one List call. Containers without a task are simply absent. */
export async function listTasks(c: ContainerdClient, namespace: string): Promise<TaskRecord[]> {
  const res = await c.conn.unary<object, {tasks: PbProcess[]}>(tasksProto, tasksService, 'List', {filter: ''}, {namespace});
  return res.tasks.map(toTaskRecord);
}

/** A container's task, or undefined when it has none. */
export async function getTask(c: ContainerdClient, namespace: string, id: string): Promise<TaskRecord | undefined> {
  try {
    const res = await c.conn.unary<object, {process: PbProcess}>(tasksProto, tasksService, 'Get', {container_id: id, exec_id: ''}, {namespace});
    return toTaskRecord(res.process);
  } catch (e) {
    return ignoreNotFound(e);
  }
}

/**
 * Starts a container: deletes a stopped task first, creates one on the container's snapshot (its
 * rootfs mounts) with stdout and stderr going to the `undock/log-uri` label's file if it has one,
 * then starts it. Resolves with the running task.
 */
export async function startTask(c: ContainerdClient, namespace: string, id: string): Promise<TaskRecord> {
  const {container} = await c.conn.unary<object, {container: {labels: Record<string, string>; snapshotter: string; snapshot_key: string}}>(
    containersProto,
    containersService,
    'Get',
    {id},
    {namespace},
  );
  let task = await getTask(c, namespace, id);
  if (task?.status === 'stopped') {
    await deleteTask(c, namespace, id).catch(ignoreNotFound);
    task = undefined;
  } else if (task && task.status !== 'created') {
    throw new UndockError('invalid', `container ${id} already has a ${task.status} task`, task.status === 'paused' ? 'resume it instead' : 'stop it first');
  }
  const created = !task;
  if (!task) {
    let rootfs: PbMount[] = [];
    if (container.snapshot_key) {
      if (!container.snapshotter) throw new UndockError('invalid', `container ${id} has a snapshot key but no snapshotter`);
      const res = await c.conn.unary<object, {mounts: PbMount[]}>(
        snapshotsProto,
        snapshotsService,
        'Mounts',
        {snapshotter: container.snapshotter, key: container.snapshot_key},
        {namespace},
      );
      rootfs = res.mounts;
    }
    // The runc shim writes both streams, interleaved, to a file:// URI; without one the output is discarded.
    const logUri = container.labels?.[logUriLabel] ?? '';
    // A container run with a TTY gets it again, on the same FIFOs (attach finds them by the label).
    const ttyDir = container.labels?.[TTY_LABEL];
    const tty = ttyDir ? prepareTty(ttyDir) : undefined;
    const io = tty ? {stdin: tty.stdin, stdout: tty.stdout, stderr: '', terminal: true} : {stdin: '', stdout: logUri, stderr: logUri, terminal: false};
    await c.conn.unary(tasksProto, tasksService, 'Create', {container_id: id, rootfs, ...io}, {namespace});
  }
  try {
    await c.conn.unary(tasksProto, tasksService, 'Start', {container_id: id, exec_id: ''}, {namespace});
  } catch (e) {
    // Leave no half-made task behind: the container stays startable.
    if (created) await deleteTask(c, namespace, id).catch(() => undefined);
    throw e;
  }
  // Started by hand: the restart monitor keeps it running again (stop had told it stopped).
  await setRestartStatus(c, namespace, id, container.labels ?? {}, 'running');
  const started = await getTask(c, namespace, id);
  if (!started) throw new UndockError('not-found', `the task of container ${id} went away right after it started`);
  return started;
}

/** Sends a signal (a number, e.g. os.constants.signals.SIGHUP) to the task, all its processes, or one exec. */
export async function killTask(
  c: ContainerdClient,
  namespace: string,
  id: string,
  signal: number,
  opts: {all?: boolean; execId?: string} = {},
): Promise<void> {
  await c.conn.unary(
    tasksProto,
    tasksService,
    'Kill',
    {container_id: id, exec_id: opts.execId ?? '', signal, all: opts.all ?? false},
    {namespace},
  );
}

/**
 * Stops a task as `docker stop` does: SIGTERM, up to graceMs for it to exit, then SIGKILL.
 * onPhase reports each step. Resolves with the stopped task (not deleted: its exit status stays).
 */
export async function stopTask(
  c: ContainerdClient,
  namespace: string,
  id: string,
  graceMs: number,
  onPhase?: (phase: 'sigterm' | 'sigkill' | 'stopped') => void,
): Promise<TaskRecord> {
  const task = await getTask(c, namespace, id);
  if (!task) throw new UndockError('not-found', `container ${id} has no task to stop`);
  // Told first, or containerd's restart monitor would start it again within its interval.
  const {container} = await c.conn.unary<object, {container: {labels: Record<string, string>}}>(containersProto, containersService, 'Get', {id}, {namespace});
  await setRestartStatus(c, namespace, id, container.labels ?? {}, 'stopped');
  if (task.status !== 'stopped') {
    // A frozen process acts on no signal until it is thawed.
    if (task.status === 'paused' || task.status === 'pausing') await resumeTask(c, namespace, id);
    // Kill, then wait: containerd keeps an exited task (and its status) until it is deleted, so a
    // Wait sent after a quick exit still answers at once.
    let exited = false;
    if (graceMs > 0) {
      await killTask(c, namespace, id, SIGTERM).catch(ignoreNotFound);
      onPhase?.('sigterm');
      exited = await exitsWithin(c, namespace, id, graceMs);
    }
    if (!exited) {
      await killTask(c, namespace, id, SIGKILL, {all: true}).catch(ignoreNotFound);
      onPhase?.('sigkill');
      if (!(await exitsWithin(c, namespace, id, KILL_WAIT_MS))) {
        throw new UndockError('deadline', `container ${id} did not exit within ${KILL_WAIT_MS / 1000} s of SIGKILL`, 'is runc or the shim hung?');
      }
    }
  }
  onPhase?.('stopped');
  // Someone may have deleted the task in between: it is stopped all the same.
  return (await getTask(c, namespace, id)) ?? {id, pid: task.pid, status: 'stopped'};
}

export async function pauseTask(c: ContainerdClient, namespace: string, id: string): Promise<void> {
  await c.conn.unary(tasksProto, tasksService, 'Pause', {container_id: id}, {namespace});
}

export async function resumeTask(c: ContainerdClient, namespace: string, id: string): Promise<void> {
  await c.conn.unary(tasksProto, tasksService, 'Resume', {container_id: id}, {namespace});
}

/** Deletes a stopped (or created) task; containerd refuses a running one. Resolves with its exit. */
export async function deleteTask(c: ContainerdClient, namespace: string, id: string): Promise<TaskExit> {
  const res = await c.conn.unary<object, {exit_status: number; exited_at: PbTimestamp | null}>(
    tasksProto,
    tasksService,
    'Delete',
    {container_id: id},
    {namespace},
  );
  return {exitStatus: res.exit_status, exitedAt: toDate(res.exited_at)};
}

/** The task's processes; info is runtime-specific (runc: containerd.runc.v1.ProcessDetails {exec_id}). */
export async function listPids(c: ContainerdClient, namespace: string, id: string): Promise<Array<{pid: number; info?: unknown}>> {
  const res = await c.conn.unary<object, {processes: Array<{pid: number; info: PbAny | null}>}>(
    tasksProto,
    tasksService,
    'ListPids',
    {container_id: id},
    {namespace},
  );
  return res.processes.map((p) => (p.info?.type_url ? {pid: p.pid, info: decodeAny(p.info)} : {pid: p.pid}));
}

/**
 * Resolves when the task (or one exec) exits, or at once if it already has. Rejects with an
 * UndockError of kind 'deadline' when deadlineMs passes first.
 */
export async function waitTask(
  c: ContainerdClient,
  namespace: string,
  id: string,
  deadlineMs: number,
  opts: {execId?: string} = {},
): Promise<TaskExit> {
  try {
    const res = await c.conn.unary<object, {exit_status: number; exited_at: PbTimestamp | null}>(
      tasksProto,
      tasksService,
      'Wait',
      {container_id: id, exec_id: opts.execId ?? ''},
      {namespace, deadlineMs},
    );
    return {exitStatus: res.exit_status, exitedAt: toDate(res.exited_at)};
  } catch (e) {
    // containerd sees the same deadline; when its timer fires first it answers UNKNOWN
    // "context deadline exceeded" rather than DEADLINE_EXCEEDED.
    if (isKind(e, 'deadline') || (isKind(e, 'unknown') && /context deadline exceeded/.test((e as Error).message))) {
      throw new UndockError('deadline', `${opts.execId ? `exec ${opts.execId} of ` : ''}container ${id} did not exit within ${deadlineMs} ms`);
    }
    throw e;
  }
}

/** True when the task exits (or is gone) within ms, false when it is still running then. */
async function exitsWithin(c: ContainerdClient, namespace: string, id: string, ms: number): Promise<boolean> {
  try {
    await waitTask(c, namespace, id, ms);
    return true;
  } catch (e) {
    if (isKind(e, 'not-found')) return true;
    if (isKind(e, 'deadline')) return false;
    throw e;
  }
}
