// Restarting a task, and signalling one process of a container (not only the whole task).
import os from 'node:os';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {getTask, killTask, listPids, startTask, stopTask, type TaskRecord} from './tasks.js';

/** The signals the picker offers, most used first. */
export const SIGNALS = ['SIGTERM', 'SIGKILL', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGSTOP', 'SIGCONT', 'SIGWINCH'] as const;

export function signalNumber(name: string): number {
  const n = os.constants.signals[name as keyof typeof os.constants.signals];
  if (n === undefined) throw new UndockError('invalid', `no signal ${name}`);
  return n;
}

/** As k9s' restart: stop (SIGTERM, SIGKILL after graceMs), then a new task from the same container (spec, snapshot, IO). */
export async function restartTask(
  c: ContainerdClient,
  ns: string,
  id: string,
  graceMs: number,
  onPhase?: (phase: 'sigterm' | 'sigkill' | 'stopped') => void,
): Promise<TaskRecord> {
  const task = await getTask(c, ns, id);
  if (task && task.status !== 'stopped' && task.status !== 'created') await stopTask(c, ns, id, graceMs, onPhase);
  return startTask(c, ns, id);
}

/**
 * Sends `signal` to process `pid` of the container: the init process and execs through containerd's
 * Kill (by exec ID), any other process (a child) by pid from this host, after checking it is still
 * one of the container's (a pid seen in the list may have exited and been reused).
 */
export async function signalProcess(c: ContainerdClient, ns: string, id: string, pid: number, signal: number): Promise<'task' | 'exec' | 'pid'> {
  if (c.conn.readonly) throw new UndockError('readonly', `refused to signal process ${pid}: undock runs with --readonly`, 'restart without --readonly to change things');
  const [task, pids] = await Promise.all([getTask(c, ns, id), listPids(c, ns, id)]);
  const proc = pids.find((p) => p.pid === pid);
  if (!proc) throw new UndockError('not-found', `process ${pid} is no longer in container ${id}`);
  if (task?.pid === pid) {
    await killTask(c, ns, id, signal);
    return 'task';
  }
  const execId = (proc.info as {exec_id?: string} | undefined)?.exec_id;
  if (execId) {
    await killTask(c, ns, id, signal, {execId});
    return 'exec';
  }
  try {
    process.kill(pid, signal);
  } catch (e) {
    throw new UndockError('permission', `cannot signal process ${pid}: ${(e as Error).message}`, 'undock must run as root on the container host');
  }
  return 'pid';
}
