// Picking the shell to exec from what a running container's root filesystem has, without running anything in it.
import fs from 'node:fs';
import path from 'node:path';
import type {ContainerdClient} from './client.js';
import {runningTask} from './exec.js';

/** Resolves a path inside a root folder, following symlinks (absolute ones relative to that root). */
function resolveInRoot(root: string, target: string): string | undefined {
  const pending = target.split('/').filter(Boolean);
  const done: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = path.join(root, ...done, part);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(here);
    } catch {
      return undefined;
    }
    if (st.isSymbolicLink()) {
      if (++hops > 40) return undefined;
      const link = fs.readlinkSync(here);
      if (link.startsWith('/')) done.length = 0;
      pending.unshift(...link.split('/').filter(Boolean));
      continue;
    }
    done.push(part);
  }
  return path.join(root, ...done);
}

const shellCandidates = ['/bin/bash', '/usr/bin/bash', '/usr/local/bin/bash'];

/**
 * The shell to exec: bash where the container's root filesystem has it, else /bin/sh. Looks at the
 * running task's root through /proc/<pid>/root (undock runs on the node), so nothing runs in the container.
 */
export async function pickShell(c: ContainerdClient, ns: string, containerId: string): Promise<string[]> {
  const task = await runningTask(c, ns, containerId);
  const root = `/proc/${task.pid}/root`;
  for (const candidate of shellCandidates) {
    const found = resolveInRoot(root, candidate);
    if (!found) continue;
    try {
      const st = fs.statSync(found);
      if (st.isFile() && (st.mode & 0o111) !== 0) return [candidate];
    } catch {
      // Not there after all: try the next one.
    }
  }
  return ['/bin/sh'];
}
