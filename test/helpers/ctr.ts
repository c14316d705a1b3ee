import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {sandboxEnv} from './sandbox-env.js';

/** Runs the real `ctr` against the sandbox: what the daemon holds, told by containerd's own CLI. */
export function ctr(namespace: string, ...args: string[]): string {
  const {address} = sandboxEnv();
  return execFileSync('ctr', ['--address', address, '-n', namespace, ...args], {encoding: 'utf8'});
}

/** Parses `ctr images ls` into rows keyed by its header columns. */
export function ctrImages(namespace: string): Array<Record<string, string>> {
  const lines = ctr(namespace, 'images', 'ls').trimEnd().split('\n');
  const header = lines.shift() ?? '';
  const cols = [...header.matchAll(/\S+/g)].map((m) => ({name: m[0], at: m.index!}));
  return lines.map((line) => {
    const row: Record<string, string> = {};
    cols.forEach((c, i) => {
      row[c.name] = line.slice(c.at, cols[i + 1]?.at ?? line.length).trim();
    });
    return row;
  });
}

/**
 * A containerd namespace of a test's own with the sandbox's busybox image imported. Returns the
 * cgroup parent this sandbox runs containers under (the seeded web container tells).
 */
export function makeTestNamespace(ns: string, image: string, snapshotter: string): string {
  const {sandbox} = sandboxEnv();
  const web = JSON.parse(ctr('default', 'containers', 'info', 'web')) as {Spec: {linux: {cgroupsPath: string}}};
  const tarball = path.join(sandbox, 'images', 'busybox.tar');
  if (!fs.existsSync(tarball)) ctr('default', 'images', 'export', tarball, image);
  ctr(ns, 'images', 'import', '--snapshotter', snapshotter, tarball);
  return path.dirname(path.dirname(web.Spec.linux.cgroupsPath));
}

/**
 * Removes a containerd namespace a test made, with everything in it: tasks, containers, the image
 * it imported, and what runc and the cgroup tree keep per namespace in this sandbox.
 */
export function removeTestNamespace(ns: string, image: string, cgroupParent: string): void {
  const {sandbox} = sandboxEnv();
  for (const id of ctr(ns, 'tasks', 'ls', '-q').split('\n').filter(Boolean)) {
    try {
      ctr(ns, 'tasks', 'rm', '-f', id);
    } catch {
      // already gone
    }
  }
  for (const id of ctr(ns, 'containers', 'ls', '-q').split('\n').filter(Boolean)) ctr(ns, 'containers', 'rm', id);
  ctr(ns, 'images', 'rm', '--sync', image);
  ctr('default', 'namespaces', 'rm', ns);
  // runc and the cgroup tree keep per-namespace levels; the sandbox's `down` would take them too.
  fs.rmSync(path.join(sandbox, 'runc', ns), {recursive: true, force: true});
  for (const controller of fs.readdirSync('/sys/fs/cgroup')) {
    try {
      fs.rmdirSync(path.join('/sys/fs/cgroup', controller, cgroupParent, ns));
    } catch {
      // not there for this controller (or already removed through a co-mounted one)
    }
  }
}
