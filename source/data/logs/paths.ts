// Where a container's log file is on disk: CRI's ContainerStatus, kubelet's attempt naming, or a native container's log URI.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {logUriLabel} from '../containerd/tasks.js';
import type {CriClient} from '../cri/client.js';
import {UndockError} from '../errors.js';

/** A CRI container's log file, from its ContainerStatus. */
export async function criLogPath(cri: CriClient, containerId: string): Promise<string> {
  const {status} = await cri.containerStatus(containerId, false);
  if (!status.logPath) {
    throw new UndockError('not-found', `CRI container ${containerId} has no log file`, 'its pod was created without a log directory');
  }
  return status.logPath;
}

/**
 * The log of a CRI container's previous attempt: kubelet names them `<attempt>.log` in one folder,
 * so the previous one is `<attempt-1>.log` beside it. undefined when there is none on disk.
 */
export function previousAttemptLog(logPath: string): string | undefined {
  const attempt = /^(\d+)\.log$/.exec(path.basename(logPath))?.[1];
  if (attempt === undefined || Number(attempt) === 0) return undefined;
  const previous = path.join(path.dirname(logPath), `${Number(attempt) - 1}.log`);
  return fs.existsSync(previous) ? previous : undefined;
}

/**
 * A native container's log file: the `undock/log-uri` label's file:/// URI, else the task's stdout
 * when that is a file:/// URI (tasks started with `ctr run --log-uri file:///...`).
 */
export function nativeLogPath(labels: Record<string, string>, taskStdout?: string): string | undefined {
  for (const uri of [labels[logUriLabel], taskStdout]) {
    if (!uri?.startsWith('file://')) continue;
    try {
      return fileURLToPath(uri);
    } catch {
      // Not a usable file URI (e.g. file://host/...): try the next.
    }
  }
  return undefined;
}

export type NativeLog = {path: string} | {why: string};

/**
 * Where a native container's log is, or exactly why there is none and what would give one. A task
 * started with a FIFO for stdout gave its output to the process that started it (`ctr run` without
 * --log-uri): nothing is kept that undock could read.
 */
export function nativeLog(labels: Record<string, string>, task: {stdout?: string} | undefined): NativeLog {
  const path = nativeLogPath(labels, task?.stdout);
  if (path) return {path};
  const fix = 'a task started with `ctr run --log-uri file:///path/x.log` (or undock\'s r) writes a log file undock can show';
  if (!task) return {why: `it has no task and no log file is recorded for it (no ${logUriLabel} label); ${fix}`};
  const out = task.stdout ?? '';
  if (!out) return {why: `its task has no stdout (started with null IO): nothing is logged; ${fix}`};
  if (out.startsWith('binary://')) return {why: `its task's output goes to a logging binary (${out.split('?')[0]}), which keeps it itself (nerdctl: nerdctl logs); ${fix}`};
  if (out.startsWith('/') && isFifo(out)) {
    return {why: `its stdout is a FIFO (${out}) held by the process that started the task: the output went to it and was not kept; ${fix}`};
  }
  return {why: `its task's stdout is ${out}, not a file:// log; ${fix}`};
}

function isFifo(p: string): boolean {
  try {
    return fs.statSync(p).isFIFO();
  } catch {
    // A FIFO path whose files are gone is still a FIFO set-up (containerd's fifo folder).
    return p.includes('/fifo/');
  }
}
