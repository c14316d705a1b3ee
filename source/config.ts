import os from 'node:os';
import path from 'node:path';
import {namespaceProblem} from './data/containerd/identifiers.js';

export interface Config {
  address: string;
  namespace: string;
  runtimeEndpoint: string;
  etcdEndpoints: string[];
  /** etcd TLS files and user, as etcdctl takes them. A user without ":password" is asked for it. */
  etcdCacert?: string;
  etcdCert?: string;
  etcdKey?: string;
  etcdUser?: string;
  readonly: boolean;
  view: string;
  refreshMs: number;
  /** Where containers that undock runs write stdout and stderr. */
  logDir: string;
  /** Lines a log view starts with, and the most it keeps. */
  logTail: number;
  logKeep: number;
  /** The command `s` runs; empty: bash if the image has it, else sh. */
  shell: string[];
  /** runc state folder and cgroup parent for containers undock runs (unset: runc's and containerd's defaults). */
  runcRoot?: string;
  cgroupParent?: string;
  /** The Kubernetes node this is, for :drift (unset: found from the CRI pods' API objects, else the hostname). */
  node?: string;
}

export interface FlagValues {
  address?: string;
  namespace?: string;
  runtimeEndpoint?: string;
  etcdEndpoints?: string;
  readonly?: boolean;
  view?: string;
  refresh?: number;
  logTail?: number;
  logKeep?: number;
  shell?: string;
  node?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
}

export const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';

/**
 * Bounds of the numeric flags. --refresh: above 2^31 ms Node's timers fire after 1 ms (a relist
 * burning a core), and below half a second relisting is all undock would do. --log-lines: the ring is
 * allocated whole.
 */
export const LIMITS = {
  refresh: {min: 0.5, max: 86_400, whole: false, what: 'seconds from 0.5 to 86400 (a day)'},
  logTail: {min: 1, max: 1_000_000, whole: true, what: 'a whole number of lines from 1 to 1000000'},
  logKeep: {min: 1, max: 1_000_000, whole: true, what: 'a whole number of lines from 1 to 1000000'},
} as const;

export class ConfigError extends Error {}

/** Whether `n` is within the flag's bounds. */
export function withinLimit(limit: (typeof LIMITS)[keyof typeof LIMITS], n: number): boolean {
  return Number.isFinite(n) && n >= limit.min && n <= limit.max && (!limit.whole || Number.isInteger(n));
}

function bounded(flag: string, limit: (typeof LIMITS)[keyof typeof LIMITS], n: number): number {
  if (!withinLimit(limit, n)) {
    throw new ConfigError(`${flag} takes ${limit.what} (got ${JSON.stringify(String(n))})`);
  }
  return n;
}

/** The views `--view` may name (the view registry, given by the caller so config stays below it). */
export interface ViewNames {
  /** The view's id for a name or alias that `:` accepts, else undefined. */
  resolve(name: string): string | undefined;
  /** The ids, for the error message. */
  ids: string[];
}

/**
 * Flags win over the standard environment variables, which win over defaults. Without `views`
 * (callers that only use the data layer) the view name is taken as given.
 */
export function buildConfig(flags: FlagValues, env: NodeJS.ProcessEnv = process.env, views?: ViewNames): Readonly<Config> {
  const address = flags.address || env.CONTAINERD_ADDRESS || DEFAULT_ADDRESS;
  const viewName = flags.view ?? 'images';
  const view = {id: views ? views.resolve(viewName) : viewName};
  if (!view.id) {
    throw new ConfigError(`--view must be one of: ${views?.ids.join(', ')}, or an alias of one (got "${viewName}")`);
  }
  const refresh = bounded('--refresh', LIMITS.refresh, flags.refresh ?? 2);
  const namespace = flags.namespace || env.CONTAINERD_NAMESPACE || 'default';
  // Refused before it reaches the terminal (the header) or gRPC metadata: containerd's own rule.
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) throw new ConfigError(`${flags.namespace ? '--namespace' : 'CONTAINERD_NAMESPACE'}: ${nsProblem}`);
  const endpoints = (flags.etcdEndpoints || env.ETCDCTL_ENDPOINTS || '127.0.0.1:2379')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (endpoints.length === 0) throw new ConfigError('--etcd-endpoints needs at least one endpoint');
  return Object.freeze({
    address,
    namespace,
    runtimeEndpoint: flags.runtimeEndpoint || env.CONTAINER_RUNTIME_ENDPOINT || address,
    etcdEndpoints: endpoints,
    etcdCacert: flags.cacert || env.ETCDCTL_CACERT || undefined,
    etcdCert: flags.cert || env.ETCDCTL_CERT || undefined,
    etcdKey: flags.key || env.ETCDCTL_KEY || undefined,
    etcdUser: flags.user || env.ETCDCTL_USER || undefined,
    readonly: flags.readonly ?? false,
    view: view.id,
    refreshMs: Math.round(refresh * 1000),
    logTail: bounded('--log-tail', LIMITS.logTail, flags.logTail ?? 200),
    logKeep: bounded('--log-lines', LIMITS.logKeep, flags.logKeep ?? 5000),
    shell: (flags.shell ?? env.UNDOCK_SHELL ?? '').split(/\s+/).filter(Boolean),
    node: flags.node || undefined,
    runcRoot: env.UNDOCK_RUNC_ROOT || undefined,
    cgroupParent: env.UNDOCK_CGROUP_PARENT || undefined,
    logDir: env.UNDOCK_LOG_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local/state'), 'undock/logs'),
  });
}
