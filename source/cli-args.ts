// The command line: flags read strictly (a repeated flag, a missing or malformed value, an unknown
// flag: one line and exit 2, never a stack trace or a silently ignored flag), and the --help text.
import {parseArgs} from 'node:util';
import {DEFAULT_ADDRESS, LIMITS, withinLimit, type FlagValues} from './config.js';

export class UsageError extends Error {}

type Kind = 'string' | 'boolean' | 'number';
/** Every flag: its kind, short name, and the example a message about a missing value shows. */
const FLAGS: Record<string, {kind: Kind; short?: string; key: keyof CliFlags; example?: string}> = {
  address: {kind: 'string', key: 'address', example: '--address /run/containerd/containerd.sock'},
  namespace: {kind: 'string', short: 'n', key: 'namespace', example: '-n k8s.io'},
  'runtime-endpoint': {kind: 'string', key: 'runtimeEndpoint', example: '--runtime-endpoint /run/containerd/containerd.sock'},
  'etcd-endpoints': {kind: 'string', key: 'etcdEndpoints', example: '--etcd-endpoints 127.0.0.1:2379'},
  cacert: {kind: 'string', key: 'cacert', example: '--cacert ca.pem'},
  cert: {kind: 'string', key: 'cert', example: '--cert client.pem'},
  key: {kind: 'string', key: 'key', example: '--key client-key.pem'},
  user: {kind: 'string', key: 'user', example: '--user root'},
  'password-file': {kind: 'string', key: 'passwordFile', example: '--password-file ~/.etcd-password'},
  readonly: {kind: 'boolean', key: 'readonly'},
  config: {kind: 'string', key: 'config', example: '--config ~/.config/undock/config.yaml'},
  context: {kind: 'string', key: 'context', example: '--context node-1'},
  node: {kind: 'string', key: 'node', example: '--node worker-1'},
  view: {kind: 'string', key: 'view', example: '--view containers'},
  refresh: {kind: 'number', key: 'refresh', example: '--refresh 2'},
  shell: {kind: 'string', key: 'shell', example: '--shell /bin/sh'},
  'log-tail': {kind: 'number', key: 'logTail', example: '--log-tail 200'},
  'log-lines': {kind: 'number', key: 'logKeep', example: '--log-lines 5000'},
  help: {kind: 'boolean', short: 'h', key: 'help'},
  version: {kind: 'boolean', key: 'version'},
};

export interface CliFlags extends FlagValues {
  config?: string;
  help?: boolean;
  version?: boolean;
}

/** A value as a message may show it: quoted, control characters escaped, not too long. */
export function shown(value: string): string {
  const q = JSON.stringify(value);
  return q.length > 60 ? `${q.slice(0, 57)}…"` : q;
}

function flagName(message: string): string {
  return /Option '(?:-\w, )?(--?[\w-]+)/.exec(message)?.[1] ?? /'(--?[\w-]+)'/.exec(message)?.[1] ?? 'a flag';
}

function example(name: string): string {
  const f = FLAGS[name.replace(/^--?/, '')] ?? Object.values(FLAGS).find((x) => `-${x.short}` === name);
  return f?.example ? ` (e.g. ${f.example})` : '';
}

/** Flags and words of `argv` (without node and the script); throws UsageError with one line for the user. */
export function parseCli(argv: string[]): {flags: CliFlags; words: string[]} {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, f]) => [name, {type: f.kind === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: true, ...(f.short ? {short: f.short} : {})}]),
  );
  let parsed;
  try {
    parsed = parseArgs({args: argv, options, strict: true, allowPositionals: true});
  } catch (e) {
    const message = (e as Error).message;
    const code = (e as {code?: string}).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flagName(message)} (see undock --help)`);
    if (/does not take an argument/.test(message)) throw new UsageError(`${flagName(message)} takes no value`);
    const name = flagName(message);
    const f = FLAGS[name.replace(/^--?/, '')];
    throw new UsageError(`${f?.short ? `-${f.short}/${name}` : name} needs a value${example(name)}`);
  }
  const flags: CliFlags = {};
  for (const [name, values] of Object.entries(parsed.values)) {
    const f = FLAGS[name]!;
    const list = values as Array<string | boolean>;
    const spelled = f.short ? `-${f.short}/--${name}` : `--${name}`;
    if (list.length > 1) throw new UsageError(`${spelled} is given ${list.length} times: give it once`);
    const value = list[0]!;
    if (f.kind === 'boolean') {
      (flags as Record<string, unknown>)[f.key] = value;
      continue;
    }
    const text = value as string;
    if (text.trim() === '') throw new UsageError(`${spelled} needs a value${example(name)}`);
    if (f.kind === 'number') {
      const n = Number(text);
      const limit = LIMITS[f.key as keyof typeof LIMITS];
      if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) || !withinLimit(limit, n)) {
        throw new UsageError(`--${name} takes ${limit.what}, e.g. ${f.example} (got ${shown(text)})`);
      }
      (flags as Record<string, unknown>)[f.key] = n;
    } else (flags as Record<string, unknown>)[f.key] = text;
  }
  return {flags, words: parsed.positionals};
}

export function helpText(viewIds: string[]): string {
  return `
  Usage
    $ undock [flags]            open the terminal UI
    $ undock version            print undock's version and the daemons' versions
    $ undock config             print the settings in use and where each came from

  Flags
    --address <path>            containerd socket (env CONTAINERD_ADDRESS, default ${DEFAULT_ADDRESS})
    --namespace, -n <name>      containerd namespace (env CONTAINERD_NAMESPACE, default default)
    --runtime-endpoint <path>   CRI runtime socket (env CONTAINER_RUNTIME_ENDPOINT, default the containerd socket)
    --etcd-endpoints <list>     comma-separated etcd endpoints (env ETCDCTL_ENDPOINTS, default 127.0.0.1:2379)
    --cacert <file>             etcd CA bundle (env ETCDCTL_CACERT)
    --cert <file>               etcd client certificate (env ETCDCTL_CERT)
    --key <file>                etcd client key (env ETCDCTL_KEY)
    --user <name>               etcd user (env ETCDCTL_USER); its password comes from --password-file,
                                else ETCDCTL_PASSWORD, else it is asked for on the terminal
    --password-file <file>      read the etcd password from this file (its first line)
                                (--user name:password works too, but a password on the command line
                                is visible to every user of this machine, in ps and /proc, while undock runs)
    --readonly                  refuse every change to containerd and etcd
    --config <file>             config file (default $XDG_CONFIG_HOME/undock/config.yaml,
                                else ~/.config/undock/config.yaml)
    --context <name>            start in this context of the config file (default its currentContext)
    --view <name>               first view: ${viewIds.join(', ')} or an alias (default images)
    --refresh <seconds>         relist period, ${LIMITS.refresh.min} to ${LIMITS.refresh.max} (default 2)
    --shell <command>           what s runs in a container (env UNDOCK_SHELL; default bash, else sh)
    --log-tail <n>              lines a log view starts with (default 200)
    --log-lines <n>             lines a log view keeps in memory (default 5000, at most ${LIMITS.logKeep.max})
    --node <name>               the Kubernetes node this is, for :drift and :nodes (default: the
                                context's node, else the node etcd binds this node's CRI pods to,
                                else the hostname)
    --help                      show this help
    --version                   show undock's version

  Keys
    :  command bar (:images :ns [name] :q)   /  filter   ?  help   esc  back   q  quit

  Examples
    $ undock -n k8s.io
    $ eval "$(npm run -s sandbox -- env)" && undock
`;
}
