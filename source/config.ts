import os from 'node:os';
import path from 'node:path';

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
  cacert?: string;
  cert?: string;
  key?: string;
  user?: string;
}

export const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';

export class ConfigError extends Error {}

function positive(flag: string, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${flag} must be a whole number above 0 (got "${n}")`);
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
  const refresh = flags.refresh ?? 2;
  if (!Number.isFinite(refresh) || refresh <= 0) {
    throw new ConfigError(`--refresh must be a number of seconds above 0 (got "${flags.refresh}")`);
  }
  const endpoints = (flags.etcdEndpoints || env.ETCDCTL_ENDPOINTS || '127.0.0.1:2379')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (endpoints.length === 0) throw new ConfigError('--etcd-endpoints needs at least one endpoint');
  return Object.freeze({
    address,
    namespace: flags.namespace || env.CONTAINERD_NAMESPACE || 'default',
    runtimeEndpoint: flags.runtimeEndpoint || env.CONTAINER_RUNTIME_ENDPOINT || address,
    etcdEndpoints: endpoints,
    etcdCacert: flags.cacert || env.ETCDCTL_CACERT || undefined,
    etcdCert: flags.cert || env.ETCDCTL_CERT || undefined,
    etcdKey: flags.key || env.ETCDCTL_KEY || undefined,
    etcdUser: flags.user || env.ETCDCTL_USER || undefined,
    readonly: flags.readonly ?? false,
    view: view.id,
    refreshMs: Math.round(refresh * 1000),
    logTail: positive('--log-tail', flags.logTail ?? 200),
    logKeep: positive('--log-lines', flags.logKeep ?? 5000),
    shell: (flags.shell ?? env.UNDOCK_SHELL ?? '').split(/\s+/).filter(Boolean),
    runcRoot: env.UNDOCK_RUNC_ROOT || undefined,
    cgroupParent: env.UNDOCK_CGROUP_PARENT || undefined,
    logDir: env.UNDOCK_LOG_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local/state'), 'undock/logs'),
  });
}
