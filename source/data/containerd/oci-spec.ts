import {UndockError} from '../errors.js';

/** Options for a non-privileged Linux container's runtime spec. */
export interface SpecOptions {
  id: string;
  namespace: string;
  args: string[];
  env: string[];
  cwd: string;
  /** "uid" or "uid:gid" (numbers; resolve names first with resolveUser). Root when absent. */
  user?: string;
  hostname?: string;
  /** Share the host's network namespace, and bind its /etc/resolv.conf and /etc/hosts. */
  hostNetwork: boolean;
  /** A network namespace to join (a CNI-attached one), when not on the host's network. */
  netnsPath?: string;
  terminal?: boolean;
  /** Defaults to /<namespace>/<id>, as containerd's default spec has it. */
  cgroupsPath?: string;
  annotations?: Record<string, string>;
}

export const SPEC_TYPE_URL = 'types.containerd.io/opencontainers/runtime-spec/1/Spec';
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The capabilities containerd grants a container that is not privileged. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/proc/scsi',
];

const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

interface Mount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

function defaultMounts(): Mount[] {
  return [
    {destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev']},
    {destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
    {destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5']},
    {destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k']},
    {destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev']},
    {destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro']},
    // Not in containerd's default, but nerdctl and Docker give it: tools read their own cgroup limits.
    {destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev']},
    {destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k']},
  ];
}

/** Character devices a container may use: null, zero, full, random, urandom, tty, console, ptmx, pts. */
function defaultDeviceRules(): object[] {
  const allow = (major: number, minor?: number) => ({allow: true, type: 'c', major, ...(minor === undefined ? {} : {minor}), access: 'rwm'});
  return [
    {allow: false, access: 'rwm'},
    allow(1, 3), // /dev/null
    allow(1, 8), // /dev/random
    allow(1, 7), // /dev/full
    allow(5, 0), // /dev/tty
    allow(1, 5), // /dev/zero
    allow(1, 9), // /dev/urandom
    allow(5, 1), // /dev/console
    allow(136), // /dev/pts/*
    allow(5, 2), // /dev/ptmx
  ];
}

/** Appends or replaces KEY=VALUE entries by key, keeping the first one's position. */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const out = [...base];
  for (const entry of overrides) {
    const key = entry.split('=', 1)[0];
    const at = out.findIndex((e) => e.split('=', 1)[0] === key);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}

function numericUser(user: string | undefined): {uid: number; gid: number} {
  if (!user) return {uid: 0, gid: 0};
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!m) throw new UndockError('invalid', `user "${user}" is not numeric`, 'give uid or uid:gid, or resolve the name against the image first');
  return {uid: Number(m[1]), gid: Number(m[2] ?? 0)};
}

/**
 * Resolves an image's User ("name", "uid", "name:group", "uid:gid") to "uid:gid" using the image's
 * /etc/passwd and /etc/group contents, as a container engine does before it writes the spec.
 */
export function resolveUser(user: string, passwd: string | undefined, group: string | undefined): string {
  const [u = '', g] = user.split(':', 2);
  const passwdEntries = (passwd ?? '').split('\n').map((l) => l.split(':')).filter((f) => f.length >= 4);
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const entry = passwdEntries.find((f) => f[2] === u);
    if (entry) gid = Number(entry[3]);
  } else {
    const entry = passwdEntries.find((f) => f[0] === u);
    if (!entry) {
      if (u === 'root') return '0:0';
      throw new UndockError('invalid', `user "${u}" is not in the image's /etc/passwd`, 'use a numeric uid');
    }
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (g !== undefined && g !== '') {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const entry = (group ?? '').split('\n').map((l) => l.split(':')).find((f) => f.length >= 3 && f[0] === g);
      if (!entry) throw new UndockError('invalid', `group "${g}" is not in the image's /etc/group`, 'use a numeric gid');
      gid = Number(entry[2]);
    }
  }
  return `${uid}:${gid ?? 0}`;
}

/**
 * An OCI runtime spec (1.0.2) like the one containerd's default Linux spec options produce for a
 * container that is not privileged. The runtime reads the JSON as it is stored in the container record.
 */
export function buildSpec(opts: SpecOptions): object {
  const {uid, gid} = numericUser(opts.user);
  const env = opts.env.some((e) => e.startsWith('PATH=')) ? [...opts.env] : [DEFAULT_PATH, ...opts.env];
  const mounts = defaultMounts();
  if (opts.hostNetwork) {
    // The host's network needs the host's name resolution.
    mounts.push(
      {destination: '/etc/resolv.conf', type: 'bind', source: '/etc/resolv.conf', options: ['rbind', 'ro']},
      {destination: '/etc/hosts', type: 'bind', source: '/etc/hosts', options: ['rbind', 'ro']},
    );
  }
  const namespaces: Array<{type: string; path?: string}> = [{type: 'pid'}, {type: 'ipc'}, {type: 'uts'}, {type: 'mount'}];
  if (!opts.hostNetwork) namespaces.push(opts.netnsPath ? {type: 'network', path: opts.netnsPath} : {type: 'network'});
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: opts.terminal ?? false,
      user: {uid, gid},
      args: [...opts.args],
      env,
      cwd: opts.cwd || '/',
      capabilities: {
        bounding: [...DEFAULT_CAPABILITIES],
        effective: [...DEFAULT_CAPABILITIES],
        permitted: [...DEFAULT_CAPABILITIES],
      },
      rlimits: [{type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024}],
      noNewPrivileges: true,
    },
    root: {path: 'rootfs'},
    ...(opts.hostname ? {hostname: opts.hostname} : {}),
    mounts,
    ...(opts.annotations ? {annotations: {...opts.annotations}} : {}),
    linux: {
      resources: {devices: defaultDeviceRules()},
      cgroupsPath: opts.cgroupsPath ?? `/${opts.namespace}/${opts.id}`,
      namespaces,
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
  };
}
