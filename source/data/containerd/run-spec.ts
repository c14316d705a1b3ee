// What `run` makes from an image and its options: the process, the OCI runtime spec and the container record.
import path from 'node:path';
import {UndockError} from '../errors.js';
import type {ImageRunConfig} from './image-config.js';
import {buildSpec, mergeEnv, resolveUser, SPEC_TYPE_URL} from './oci-spec.js';
import {readRootfsFile, type PbMount} from './rootfs.js';
import {NAME_LABEL} from './run-names.js';

export const LOG_URI_LABEL = 'undock/log-uri';
export const CREATED_BY_LABEL = 'undock/created-by';
const RUNTIME = 'io.containerd.runc.v2';

export interface RunProcess {
  args: string[];
  env: string[];
  hostNetwork: boolean;
}

/** Labels a user may not set: undock's own, containerd's and nerdctl's name. */
const RESERVED_LABEL = /^(undock\/|containerd\.io\/|io\.cri-containerd|io\.kubernetes\.|nerdctl\/)/;

/** Refuses a label undock or containerd own, or one containerd could not hold (key and value 4096 bytes at most). */
export function checkLabels(name: string, labels: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(labels)) {
    if (!k) throw new UndockError('invalid', `run ${name}: a label has no key`);
    if (RESERVED_LABEL.test(k)) throw new UndockError('invalid', `run ${name}: label ${k} is reserved (undock, containerd, CRI and nerdctl set those)`);
    if (Buffer.byteLength(k) + Buffer.byteLength(v) > 4096) throw new UndockError('invalid', `run ${name}: label ${k} is longer than containerd's 4096 bytes`);
  }
}

/** KEY=VALUE words as labels (a KEY alone gets an empty value, as nerdctl -l does). */
export function parseLabels(words: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of words) {
    const at = w.indexOf('=');
    if (at < 0) out[w] = '';
    else out[w.slice(0, at)] = w.slice(at + 1);
  }
  return out;
}

/** Refuses an environment entry that is not KEY=VALUE, before anything is read or made. */
export function checkEnv(name: string, env: readonly string[] = []): void {
  for (const e of env) {
    if (!/^[^=]+=/.test(e)) throw new UndockError('invalid', `run ${name}: environment entry "${e}" is not KEY=VALUE`);
  }
}

/** The process, as `nerdctl run IMAGE CMD` has it: a given command replaces the image's Cmd, its Entrypoint stays. */
export function runProcess(
  name: string,
  imageName: string,
  config: ImageRunConfig,
  opts: {command?: string[]; env?: string[]; hostNetwork?: boolean},
): RunProcess {
  const entrypoint = config.Entrypoint ?? [];
  const cmd = opts.command && opts.command.length > 0 ? opts.command : (config.Cmd ?? []);
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) throw new UndockError('invalid', `run ${name}: image ${imageName} has no Entrypoint or Cmd`, 'give a command');
  return {args, env: mergeEnv(config.Env ?? [], opts.env ?? []), hostNetwork: opts.hostNetwork ?? true};
}

export interface RunSpecOptions {
  id: string;
  namespace: string;
  name: string;
  process: RunProcess;
  config: ImageRunConfig;
  /** The prepared snapshot: a User given by name is looked up in its own /etc/passwd and /etc/group. */
  mounts: PbMount[];
  cgroupParent?: string;
  netnsPath?: string;
  terminal?: boolean;
}

export function runSpec(o: RunSpecOptions): object {
  const {config, mounts, process: p} = o;
  const user = config.User
    ? resolveUser(config.User, readRootfsFile(mounts, 'etc/passwd'), readRootfsFile(mounts, 'etc/group'))
    : undefined;
  return buildSpec({
    id: o.id,
    namespace: o.namespace,
    args: p.args,
    env: p.env,
    cwd: config.WorkingDir ?? '/',
    user,
    hostname: p.hostNetwork ? undefined : o.name,
    hostNetwork: p.hostNetwork,
    netnsPath: o.netnsPath,
    terminal: o.terminal ?? false,
    cgroupsPath: o.cgroupParent ? path.posix.join('/', o.cgroupParent, o.namespace, o.id) : undefined,
  });
}

export interface ContainerRecordOptions {
  id: string;
  name: string;
  logUri: string;
  image: string;
  snapshotter: string;
  spec: object;
  runcRoot?: string;
  /** The user's labels and those of the network and TTY (what removal needs). */
  labels?: Record<string, string>;
}

/** The Containers.Create record; the labels are how undock (and nerdctl, for the name) find it again. */
export function containerRecord(o: ContainerRecordOptions): object {
  return {
    id: o.id,
    labels: {...o.labels, [NAME_LABEL]: o.name, ...(o.logUri ? {[LOG_URI_LABEL]: o.logUri} : {}), [CREATED_BY_LABEL]: 'undock'},
    image: o.image,
    runtime: {name: RUNTIME, options: o.runcRoot ? runcOptions(o.runcRoot) : null},
    spec: {type_url: SPEC_TYPE_URL, value: Buffer.from(JSON.stringify(o.spec))},
    snapshotter: o.snapshotter,
    snapshot_key: o.id,
  };
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
