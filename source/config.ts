import os from 'node:os';
import path from 'node:path';
import type {ConfigFile, ContextEntry} from './config-file.js';
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
  /** Where undock keeps the network namespaces and TTY FIFOs of containers it runs (UNDOCK_RUN_DIR). */
  runDir: string;
  /** The CNI network list `run` attaches containers to (UNDOCK_CNI_CONFLIST; unset: undock's default bridge). */
  cniConflist?: string;
  /** Folders with the CNI plugin binaries (UNDOCK_CNI_PATH). */
  cniPath: string[];
  /** The context of the config file in use, and every context it defines (for `:ctx`). */
  context?: string;
  contexts: string[];
  /** The config file read, as shown to the user (~ for home), and what it holds (for a switch). */
  configFile?: string;
  file?: ConfigFile;
  /** This node's name as the cluster knows it (the kubelet's), when given. */
  node?: string;
  /** The etcd password's file, from --password-file or the context. */
  etcdPasswordFile?: string;
  /** `:` command aliases from the config file: alias -> view or command. */
  aliases: Readonly<Record<string, string>>;
  /** Where each setting came from: "flag --address", "env CONTAINERD_ADDRESS", "context a (FILE)", "default". */
  origins: Readonly<Record<string, string>>;
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
  passwordFile?: string;
  context?: string;
  node?: string;
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

/** The config file and which of its contexts to use (--context, else the file's currentContext, else its first). */
export interface FileInput {
  file: ConfigFile;
  /** Switching at run time: the connection flags and variables of the start no longer apply, --readonly still does. */
  switching?: boolean;
}

/** How an error names where a bad setting came from: the flag, the variable, or the file's setting. */
function settingName(origin: string, setting: string): string {
  if (origin.startsWith('flag ')) return origin.slice('flag '.length);
  if (origin.startsWith('env ')) return origin.slice('env '.length);
  return `${origin}: ${setting}`;
}

/** Picks the context a start (or a switch) uses; throws ConfigError for an unknown name. */
export function chooseContext(file: ConfigFile | undefined, wanted: string | undefined): ContextEntry | undefined {
  if (!file) {
    if (wanted) throw new ConfigError(`--context ${wanted}: no config file defines contexts (see undock config)`);
    return undefined;
  }
  const {contexts, currentContext} = file.data;
  const name = wanted ?? currentContext;
  if (name === undefined) return contexts[0];
  const found = contexts.find((c) => c.name === name);
  if (!found) throw new ConfigError(`context "${name}" is not in ${file.shownPath} (contexts: ${contexts.map((c) => c.name).join(', ') || 'none'})`);
  return found;
}

/**
 * Flags win over the standard environment variables, which win over the config file's context,
 * which wins over defaults. Without `views` (callers that only use the data layer) the view name is
 * taken as given.
 */
export function buildConfig(flags: FlagValues, env: NodeJS.ProcessEnv = process.env, views?: ViewNames, input?: FileInput): Readonly<Config> {
  const file = input?.file;
  const context = chooseContext(file, flags.context);
  const origins: Record<string, string> = {};
  const fromContext = `context ${context?.name} (${file?.shownPath})`;
  // Runtime switches take the context as written: the start's connection flags named another node.
  const f: FlagValues = input?.switching ? {readonly: flags.readonly} : flags;
  const e: NodeJS.ProcessEnv = input?.switching ? {} : env;
  function pick<T>(setting: string, flag: [string, T | undefined], envVar: [string, string | undefined] | undefined, fromFile: T | undefined, fallback: T): T {
    if (flag[1] !== undefined && flag[1] !== '') return (origins[setting] = `flag ${flag[0]}`), flag[1];
    if (envVar && envVar[1]) return (origins[setting] = `env ${envVar[0]}`), envVar[1] as T;
    if (fromFile !== undefined) return (origins[setting] = fromContext), fromFile;
    origins[setting] = 'default';
    return fallback;
  }
  const address = pick('address', ['--address', f.address], ['CONTAINERD_ADDRESS', e.CONTAINERD_ADDRESS], context?.address, DEFAULT_ADDRESS);
  const fileView = context?.view ?? file?.data.startView;
  const viewName = pick('view', ['--view', f.view], undefined, fileView, 'images');
  if (origins.view !== 'flag --view' && fileView !== undefined) origins.view = context?.view ? fromContext : `startView (${file?.shownPath})`;
  const view = {id: views ? views.resolve(viewName) : viewName};
  if (!view.id) {
    const by = origins.view?.startsWith('flag') ? '--view' : `${origins.view}: view`;
    throw new ConfigError(`${by} must be one of: ${views?.ids.join(', ')}, or an alias of one (got "${viewName}")`);
  }
  const refresh = bounded('--refresh', LIMITS.refresh, flags.refresh ?? 2);
  const namespace = pick('namespace', ['--namespace', f.namespace], ['CONTAINERD_NAMESPACE', e.CONTAINERD_NAMESPACE], context?.namespace, 'default');
  // Refused before it reaches the terminal (the header) or gRPC metadata: containerd's own rule.
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) throw new ConfigError(`${settingName(origins.namespace!, 'namespace')}: ${nsProblem}`);
  const fileEndpoints = context?.etcd?.endpoints;
  const endpointText = pick(
    'etcdEndpoints',
    ['--etcd-endpoints', f.etcdEndpoints],
    ['ETCDCTL_ENDPOINTS', e.ETCDCTL_ENDPOINTS],
    fileEndpoints === undefined ? undefined : ([] as string[]).concat(fileEndpoints).join(','),
    '127.0.0.1:2379',
  );
  const endpoints = endpointText
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (endpoints.length === 0) throw new ConfigError('--etcd-endpoints needs at least one endpoint');
  const optional = (setting: string, flag: [string, string | undefined], envVar: [string, string | undefined] | undefined, fromFile: string | undefined) =>
    pick<string | undefined>(setting, flag, envVar, fromFile, undefined);
  const runtimeEndpoint = pick('runtimeEndpoint', ['--runtime-endpoint', f.runtimeEndpoint], ['CONTAINER_RUNTIME_ENDPOINT', e.CONTAINER_RUNTIME_ENDPOINT], context?.runtimeEndpoint, address);
  if (origins.runtimeEndpoint === 'default') origins.runtimeEndpoint = 'default: the containerd address';
  const readonly = flags.readonly === true || (context?.readonly ?? false);
  origins.readonly = flags.readonly === true ? 'flag --readonly' : context?.readonly !== undefined ? fromContext : 'default';
  return Object.freeze({
    address,
    namespace,
    runtimeEndpoint,
    etcdEndpoints: endpoints,
    etcdCacert: optional('etcdCacert', ['--cacert', f.cacert], ['ETCDCTL_CACERT', e.ETCDCTL_CACERT], context?.etcd?.cacert),
    etcdCert: optional('etcdCert', ['--cert', f.cert], ['ETCDCTL_CERT', e.ETCDCTL_CERT], context?.etcd?.cert),
    etcdKey: optional('etcdKey', ['--key', f.key], ['ETCDCTL_KEY', e.ETCDCTL_KEY], context?.etcd?.key),
    etcdUser: optional('etcdUser', ['--user', f.user], ['ETCDCTL_USER', e.ETCDCTL_USER], context?.etcd?.user),
    etcdPasswordFile: optional('etcdPasswordFile', ['--password-file', f.passwordFile], undefined, context?.etcd?.passwordFile),
    readonly,
    view: view.id,
    refreshMs: Math.round(refresh * 1000),
    logTail: bounded('--log-tail', LIMITS.logTail, flags.logTail ?? 200),
    logKeep: bounded('--log-lines', LIMITS.logKeep, flags.logKeep ?? 5000),
    shell: (flags.shell ?? env.UNDOCK_SHELL ?? '').split(/\s+/).filter(Boolean),
    runcRoot: env.UNDOCK_RUNC_ROOT || undefined,
    cgroupParent: env.UNDOCK_CGROUP_PARENT || undefined,
    runDir: env.UNDOCK_RUN_DIR || '/run/undock',
    cniConflist: env.UNDOCK_CNI_CONFLIST || undefined,
    cniPath: (env.UNDOCK_CNI_PATH || '/usr/lib/cni:/opt/cni/bin').split(':').filter(Boolean),
    logDir: env.UNDOCK_LOG_DIR || path.join(env.XDG_STATE_HOME || path.join(os.homedir(), '.local/state'), 'undock/logs'),
    context: context?.name,
    contexts: file?.data.contexts.map((c) => c.name) ?? [],
    configFile: file?.shownPath,
    file,
    node: optional('node', ['--node', flags.node], undefined, context?.node),
    aliases: Object.freeze({...(file?.data.aliases ?? {})}),
    origins: Object.freeze(origins),
  });
}
