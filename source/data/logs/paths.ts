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
