import fs from 'node:fs';
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {readImageConfig} from './image-config.js';
import {buildSpec, mergeEnv, resolveUser, SPEC_TYPE_URL} from './oci-spec.js';

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

export const NAME_LABEL = 'nerdctl/name';
export const LOG_URI_LABEL = 'undock/log-uri';
export const CREATED_BY_LABEL = 'undock/created-by';
const RUNTIME = 'io.containerd.runc.v2';
const GC_ROOT_LABEL = 'containerd.io/gc.root';
// Starting a shim and runc can take a while on a busy node.
const TASK_DEADLINE_MS = 30_000;
const SIGKILL = 9;

export interface RunOptions {
  image: string;
  name: string;
  /** Replaces the image's Cmd (the Entrypoint stays, as with `nerdctl run IMAGE CMD`); empty keeps Entrypoint+Cmd. */
  command?: string[];
  /** KEY=VALUE entries, added to (or replacing) the image's Env. */
  env?: string[];
  /** Share the host's network (the default: undock sets up no CNI network of its own). */
  hostNetwork?: boolean;
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
  logPath: string;
}

interface PbMount {
  type: string;
  source: string;
  target: string;
  options: string[];
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function validateContainerName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new UndockError('invalid', `"${name}" is not a valid container name`, 'use letters, digits, _ . - and start with a letter or digit');
  }
  // containerd refuses longer identifiers.
  if (name.length > 76) throw new UndockError('invalid', `container name "${name}" is longer than 76 characters`);
}

/** The runc shim's Options message (containerd.runc.v1.Options) with only `root` (field 7) set. */
function runcOptions(root: string): {type_url: string; value: Buffer} {
  const bytes = Buffer.from(root, 'utf8');
  const len: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return {type_url: 'containerd.runc.v1.Options', value: Buffer.concat([Buffer.from([(7 << 3) | 2, ...len]), bytes])};
}

async function refuseTakenName(c: ContainerdClient, ns: string, name: string): Promise<void> {
  const res = await c.conn.unary<object, {containers: Array<{id: string; labels: Record<string, string>}>}>(
    P.containers,
    S.containers,
    'List',
    // Filters in one list are OR'ed: the id, or the name label.
    {filters: [`id==${JSON.stringify(name)}`, `labels.${JSON.stringify(NAME_LABEL)}==${JSON.stringify(name)}`]},
    {namespace: ns},
  );
  const taken = res.containers[0];
  if (taken) {
    const how = taken.id === name ? 'as its id' : `by container ${taken.id}`;
    throw new UndockError('invalid', `the name "${name}" is already in use in namespace ${ns} (${how})`, 'choose another name, or remove that container first');
  }
}

/**
 * The snapshotter holding the image's unpacked layers. An image is unpacked per snapshotter (ctr
 * import/pull --snapshotter, CRI's configured one), so ask each candidate for the top layer's
 * committed snapshot: an explicit choice or CONTAINERD_SNAPSHOTTER (what ctr and nerdctl read) is
 * the only candidate; otherwise containerd's default overlayfs, then native (where overlay
 * mounts do not work).
 */
async function pickSnapshotter(c: ContainerdClient, ns: string, chainId: string, image: string, wanted?: string): Promise<string> {
  const explicit = wanted || process.env.CONTAINERD_SNAPSHOTTER;
  const candidates = explicit ? [explicit] : ['overlayfs', 'native'];
  const notLoaded: string[] = [];
  for (const snapshotter of candidates) {
    try {
      await c.conn.unary(P.snapshots, S.snapshots, 'Stat', {snapshotter, key: chainId}, {namespace: ns});
      return snapshotter;
    } catch (e) {
      // not-found: not unpacked there; invalid: that snapshotter is not loaded.
      if (!(e instanceof UndockError && (e.kind === 'not-found' || e.kind === 'invalid'))) throw e;
      if (e.kind === 'invalid') notLoaded.push(snapshotter);
    }
  }
  if (notLoaded.length === candidates.length) {
    throw new UndockError('invalid', `containerd has no ${notLoaded.join(' or ')} snapshotter loaded`, 'see `ctr plugins ls`; set CONTAINERD_SNAPSHOTTER to one it has');
  }
  const list = candidates.join(' or ');
  throw new UndockError(
    'not-found',
    `image ${image} is not unpacked for the ${list} snapshotter (no snapshot ${chainId.slice(0, 19)}…)`,
    `import or pull it again with --snapshotter ${candidates[0]}, or set CONTAINERD_SNAPSHOTTER`,
  );
}

/** Reads a file of the prepared rootfs from the snapshot's own directories (overlay or bind). */
function readRootfsFile(mounts: PbMount[], rel: string): string | undefined {
  const dirs: string[] = [];
  for (const m of mounts) {
    if (m.type === 'bind') dirs.push(m.source);
    if (m.type === 'overlay') {
      for (const opt of m.options) {
        if (opt.startsWith('upperdir=')) dirs.unshift(opt.slice('upperdir='.length));
        if (opt.startsWith('lowerdir=')) dirs.push(...opt.slice('lowerdir='.length).split(':'));
      }
    }
  }
  for (const dir of dirs) {
    try {
      return fs.readFileSync(path.join(dir, rel), 'utf8');
    } catch {
      // not in this layer
    }
  }
  return undefined;
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
  for (const e of opts.env ?? []) {
    if (!/^[^=]+=/.test(e)) throw new UndockError('invalid', `run ${name}: environment entry "${e}" is not KEY=VALUE`);
  }
  const image = await readImageConfig(c, ns, opts.image).catch((e: unknown) => {
    throw withContext('reading the image', name, e);
  });
  const imageName = image.name;
  const snapshotter = await pickSnapshotter(c, ns, image.chainId, imageName, opts.snapshotter).catch((e: unknown) => {
    throw withContext('choosing the snapshotter', name, e);
  });

  const entrypoint = image.config.Entrypoint ?? [];
  const cmd = opts.command && opts.command.length > 0 ? opts.command : (image.config.Cmd ?? []);
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new UndockError('invalid', `run ${name}: image ${imageName} has no Entrypoint or Cmd`, 'give a command');
  const hostNetwork = opts.hostNetwork ?? true;
  const env = mergeEnv(image.config.Env ?? [], opts.env ?? []);

  const logPath = path.join(path.resolve(opts.logDir), ns, `${id}.log`);
  const logUri = `file://${logPath}`;
  try {
    fs.mkdirSync(path.dirname(logPath), {recursive: true});
  } catch (e) {
    throw new UndockError('permission', `run ${name}: cannot create the log folder ${path.dirname(logPath)}: ${(e as Error).message}`);
  }

  const undo: Array<{what: string; run: () => Promise<unknown>}> = [];
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

    step = 'building the runtime spec';
    const user = image.config.User
      ? resolveUser(image.config.User, readRootfsFile(prepared.mounts, 'etc/passwd'), readRootfsFile(prepared.mounts, 'etc/group'))
      : undefined;
    const labels = {[NAME_LABEL]: name, [LOG_URI_LABEL]: logUri, [CREATED_BY_LABEL]: 'undock'};
    const spec = buildSpec({
      id,
      namespace: ns,
      args,
      env,
      cwd: image.config.WorkingDir ?? '/',
      user,
      hostname: hostNetwork ? undefined : name,
      hostNetwork,
      terminal: false,
      cgroupsPath: opts.cgroupParent ? path.posix.join('/', opts.cgroupParent, ns, id) : undefined,
    });

    step = 'creating the container';
    await c.conn.unary(
      P.containers,
      S.containers,
      'Create',
      {
        container: {
          id,
          labels,
          image: imageName,
          runtime: {name: RUNTIME, options: opts.runcRoot ? runcOptions(opts.runcRoot) : null},
          spec: {type_url: SPEC_TYPE_URL, value: Buffer.from(JSON.stringify(spec))},
          snapshotter,
          snapshot_key: id,
        },
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
    // A fresh log: a log left by an earlier container of the same name is not this one's output.
    fs.writeFileSync(logPath, '');
    undo.push({what: `remove ${logPath}`, run: async () => fs.rmSync(logPath, {force: true})});
    await c.conn.unary(
      P.tasks,
      S.tasks,
      'Create',
      {container_id: id, rootfs: prepared.mounts, stdin: '', stdout: logUri, stderr: logUri, terminal: false},
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
    return {id, pid: started.pid, logPath};
  } catch (e) {
    const failed = await rollback();
    const err = withContext(step, name, e);
    if (failed.length === 0) throw err;
    throw new UndockError(err.kind, `${err.message} (and undoing failed: ${failed.join('; ')})`, err.hint);
  }
}
