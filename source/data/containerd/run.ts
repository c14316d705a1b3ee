import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {readImageConfig} from './image-config.js';
import {pickSnapshotter, type PbMount} from './rootfs.js';
import {updateLabels} from './restart-policy.js';
import {checkExtras, restartLabels, setUpNetwork, setUpTty, type ExtrasOptions, type UndoStep} from './run-extras.js';
import {refuseTakenName, validateContainerName} from './run-names.js';
import {checkEnv, checkLabels, containerRecord, runProcess, runSpec} from './run-spec.js';

const P = {
  containers: 'containerd/services/containers/v1/containers.proto',
  tasks: 'containerd/services/tasks/v1/tasks.proto',
  snapshots: 'containerd/services/snapshots/v1/snapshots.proto',
};
const S = {
  containers: 'containerd.services.containers.v1.Containers',
  tasks: 'containerd.services.tasks.v1.Tasks',
  snapshots: 'containerd.services.snapshots.v1.Snapshots',
};

const GC_ROOT_LABEL = 'containerd.io/gc.root';
// Starting a shim and runc can take a while on a busy node.
const TASK_DEADLINE_MS = 30_000;
const SIGKILL = 9;

export interface RunOptions extends ExtrasOptions {
  image: string;
  name: string;
  /** Replaces the image's Cmd (the Entrypoint stays, as with `nerdctl run IMAGE CMD`); empty keeps Entrypoint+Cmd. */
  command?: string[];
  /** KEY=VALUE entries, added to (or replacing) the image's Env. */
  env?: string[];
  /** Share the host's network (the default without `cni`); false: a network namespace of its own with only lo. */
  hostNetwork?: boolean;
  /** Labels of the user's (`nerdctl run -l`). */
  labels?: Record<string, string>;
  /** stdout and stderr go to <logDir>/<namespace>/<id>.log. */
  logDir: string;
  /** Snapshotter to use; else CONTAINERD_SNAPSHOTTER, else whichever of overlayfs, native has the image unpacked. */
  snapshotter?: string;
  /** runc state directory (runc's Root option); unset leaves runc's default /run/containerd/runc. */
  runcRoot?: string;
  /** A cgroup to put the container under: cgroupsPath becomes <cgroupParent>/<namespace>/<id>. */
  cgroupParent?: string;
}

export interface RunResult {
  id: string;
  pid: number;
  /** Absent with a TTY: the output goes to the terminal (attach). */
  logPath?: string;
  /** The container's address on the CNI network. */
  ip?: string;
}

function withContext(step: string, name: string, e: unknown): UndockError {
  if (e instanceof UndockError) return new UndockError(e.kind, `run ${name}: ${step}: ${e.message}`, e.hint);
  return new UndockError('unknown', `run ${name}: ${step}: ${e instanceof Error ? e.message : String(e)}`);
}

/**
 * Creates and starts a container from an image, as `nerdctl run -d --name NAME IMAGE CMD` does,
 * through containerd's native API: snapshot, container record, task, start. A failure after any
 * step undoes the steps before it, so nothing half-made is left behind.
 */
export async function runContainer(c: ContainerdClient, ns: string, opts: RunOptions): Promise<RunResult> {
  const {name} = opts;
  if (c.conn.readonly) throw new UndockError('readonly', `refused to run ${name}: undock runs with --readonly`, 'restart without --readonly to change things');
  validateContainerName(name);
  await refuseTakenName(c, ns, name);
  const id = name;
  checkEnv(name, opts.env);
  checkLabels(name, opts.labels);
  checkExtras(name, opts);
  const image = await readImageConfig(c, ns, opts.image).catch((e: unknown) => {
    throw withContext('reading the image', name, e);
  });
  const imageName = image.name;
  const snapshotter = await pickSnapshotter(c, ns, image.chainId, imageName, opts.snapshotter).catch((e: unknown) => {
    throw withContext('choosing the snapshotter', name, e);
  });

  const proc = runProcess(name, imageName, image.config, {...opts, hostNetwork: opts.cni ? false : (opts.hostNetwork ?? true)});
  // A shell without TERM draws poorly; nerdctl run -t sets it the same way.
  if (opts.tty && !proc.env.some((e) => e.startsWith('TERM='))) proc.env.push('TERM=xterm');

  const logPath = path.join(path.resolve(opts.logDir), ns, `${id}.log`);
  const logUri = `file://${logPath}`;
  try {
    fs.mkdirSync(path.dirname(logPath), {recursive: true});
  } catch (e) {
    throw new UndockError('permission', `run ${name}: cannot create the log folder ${path.dirname(logPath)}: ${(e as Error).message}`);
  }

  const undo: UndoStep[] = [];
  const rollback = async (): Promise<string[]> => {
    const failed: string[] = [];
    for (const step of undo.reverse()) {
      try {
        await step.run();
      } catch (e) {
        failed.push(`${step.what}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return failed;
  };
  let step = 'preparing the snapshot';
  try {
    // gc.root keeps containerd's garbage collector off the snapshot until the container references it.
    const prepared = await c.conn.unary<object, {mounts: PbMount[]}>(
      P.snapshots,
      S.snapshots,
      'Prepare',
      {snapshotter, key: id, parent: image.chainId, labels: {[GC_ROOT_LABEL]: new Date().toISOString()}},
      {namespace: ns},
    );
    undo.push({
      what: `remove snapshot ${id}`,
      // Once the container is deleted its snapshot has no gc.root and the collector may take it
      // first: gone is what undoing wants.
      run: () =>
        c.conn.unary(P.snapshots, S.snapshots, 'Remove', {snapshotter, key: id}, {namespace: ns}).catch((e) => {
          if (!(e instanceof UndockError && e.kind === 'not-found')) throw e;
        }),
    });

    step = 'setting up the network';
    const network = await setUpNetwork(ns, id, opts, undo);
    step = 'making the TTY';
    const tty = setUpTty(ns, id, opts, undo);

    step = 'building the runtime spec';
    const spec = runSpec({
      id,
      namespace: ns,
      name,
      process: proc,
      config: image.config,
      mounts: prepared.mounts,
      cgroupParent: opts.cgroupParent,
      netnsPath: network?.netnsPath,
      terminal: Boolean(tty),
    });

    step = 'creating the container';
    await c.conn.unary(
      P.containers,
      S.containers,
      'Create',
      {
        container: containerRecord({
          id,
          name,
          logUri: tty ? '' : logUri,
          image: imageName,
          snapshotter,
          spec,
          runcRoot: opts.runcRoot,
          labels: {...opts.labels, ...network?.labels, ...tty?.labels},
        }),
      },
      {namespace: ns},
    );
    undo.push({
      what: `delete container ${id}`,
      run: () => c.conn.unary(P.containers, S.containers, 'Delete', {id}, {namespace: ns}),
    });

    step = 'releasing the snapshot to the container';
    // The container now references the snapshot; without the label, deleting the container lets GC reclaim it.
    await c.conn.unary(
      P.snapshots,
      S.snapshots,
      'Update',
      {snapshotter, info: {name: id, labels: {}}, update_mask: {paths: [`labels.${GC_ROOT_LABEL}`]}},
      {namespace: ns},
    );

    step = 'creating the task';
    if (!tty) {
      // A fresh log: a log left by an earlier container of the same name is not this one's output.
      fs.writeFileSync(logPath, '');
      undo.push({what: `remove ${logPath}`, run: async () => fs.rmSync(logPath, {force: true})});
    }
    const io = tty ? {stdin: tty.paths.stdin, stdout: tty.paths.stdout, stderr: '', terminal: true} : {stdin: '', stdout: logUri, stderr: logUri, terminal: false};
    await c.conn.unary(
      P.tasks,
      S.tasks,
      'Create',
      {container_id: id, rootfs: prepared.mounts, ...io},
      {namespace: ns, deadlineMs: TASK_DEADLINE_MS},
    );
    undo.push({
      what: `delete task ${id}`,
      run: async () => {
        await c.conn
          .unary(P.tasks, S.tasks, 'Kill', {container_id: id, exec_id: '', signal: SIGKILL, all: true}, {namespace: ns})
          .catch(() => undefined);
        // Delete refuses a process that has not yet died of the SIGKILL: retry for a couple of seconds.
        for (let attempt = 0; ; attempt++) {
          try {
            await c.conn.unary(P.tasks, S.tasks, 'Delete', {container_id: id}, {namespace: ns, deadlineMs: TASK_DEADLINE_MS});
            return;
          } catch (e) {
            if (!(e instanceof UndockError && e.kind === 'invalid') || attempt >= 20) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      },
    });

    step = 'starting the task';
    const started = await c.conn.unary<object, {pid: number}>(
      P.tasks,
      S.tasks,
      'Start',
      {container_id: id, exec_id: ''},
      {namespace: ns, deadlineMs: TASK_DEADLINE_MS},
    );
    if (opts.restart) {
      step = 'asking containerd to restart it on exit';
      await updateLabels(c, ns, id, restartLabels(logUri));
    }
    return {id, pid: started.pid, ...(tty ? {} : {logPath}), ...(network?.ip ? {ip: network.ip} : {})};
  } catch (e) {
    const failed = await rollback();
    const err = withContext(step, name, e);
    if (failed.length === 0) throw err;
    throw new UndockError(err.kind, `${err.message} (and undoing failed: ${failed.join('; ')})`, err.hint);
  }
}
