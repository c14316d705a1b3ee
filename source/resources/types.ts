import type {ContainerdClient} from '../data/containerd/client.js';
import type {ImageContentResolver} from '../data/containerd/image-content.js';
import type {CriClient} from '../data/cri/client.js';
import type {PortForwards} from '../data/cri/port-forward.js';
import type {EtcdClient} from '../data/etcd/client.js';
import type {FollowOptions, LogFollower} from '../data/logs/follow.js';
import type {SshTunnel} from '../data/remote/ssh-tunnel.js';
import type {Binding} from '../keys/bindings.js';
import type {Config} from '../config.js';
import type {TerminalIO} from '../terminal/handoff.js';

/** Everything a resource's data access may use. Views never see this: they read stores. */
export interface DataContext {
  config: Config;
  containerd: ContainerdClient;
  cri: CriClient;
  etcd: EtcdClient;
  imageContent: ImageContentResolver;
  /** The ssh tunnel of a remote node (ssh:// address): its files are read and its commands run through it. */
  remote?: SshTunnel;
  /** Follows a log file where the node keeps it (over ssh for a remote node); unset: this machine's followLog. */
  followLog?: (file: string, opts: FollowOptions) => LogFollower;
  /** Per-resource memory between loads (e.g. the last CPU sample, pod IPs already looked up). */
  memo: Map<string, unknown>;
  /** The CRI port-forwards this undock runs (`:pf` lists them). */
  forwards: PortForwards;
  /** Tells `listener` of every call or stream that showed a daemon not serving, with the line to show. */
  onFailure?: (listener: (daemon: Daemon, error: string) => void) => () => void;
  /** Tells `listener` when a failed etcd call suggests an alarm was raised (a write refused for space). */
  onEtcdAlarmHint?: (listener: () => void) => () => void;
}

export type Daemon = 'containerd' | 'cri' | 'etcd';

export interface Column<Row> {
  id: string;
  header: string;
  /** Shift+letter that sorts by this column, as in k9s. */
  sortKey?: string;
  align?: 'left' | 'right';
  /** Takes the width that is left (one column per table). */
  grow?: boolean;
  /** Shown only when the view lists every namespace. */
  allNamespacesOnly?: boolean;
  /** How much the column matters when the terminal is narrow: the lowest go first (default 1). */
  priority?: number;
  /** Where a long cell is shortened: names and keys keep their distinguishing tail ('middle'). */
  cut?: 'end' | 'middle';
  /** Pure rendering of one cell. */
  cell: (row: Row, now: number) => string;
  /** What sorting compares, in its natural order (↑ smallest first, ↓ largest first); defaults to the cell text. */
  sortValue?: (row: Row) => string | number;
  /** The first press sorts largest first (CPU, memory, restarts), as an operator looks for the top ones. */
  descendingFirst?: boolean;
  /** For a cell showing a relative time: when (epoch ms, after `now`) its text changes next. */
  changesAt?: (row: Row, now: number) => number | undefined;
}

/** Where a load looks: the containerd namespace (or all of them) and the parent a drill-down came from. */
export interface LoadScope {
  namespace: string;
  allNamespaces: boolean;
  params: Record<string, string>;
}

export interface FormField {
  id: string;
  label: string;
  value: string;
  hint?: string;
  /** Drawn as stars (a password). */
  secret?: boolean;
}

/** What a resource action asks the app to do. Actions never touch the UI themselves. */
export type ActionResult =
  | {kind: 'none'}
  | {kind: 'status'; text: string; level?: 'info' | 'error'}
  | {kind: 'set-namespace'; namespace: string}
  /** Closes the clients and opens the named context's, back at its start view. */
  | {kind: 'switch-context'; context: string}
  /** Opens a view by name as the new root, as `:name` does. */
  | {kind: 'open'; view: string}
  | {kind: 'push'; resource: string; params: Record<string, string>; crumb: string; filter?: string}
  /** Opens a view on top with what it is given (a key to show in the key tree: a cross-link). */
  | {kind: 'view'; view: string; payload: unknown}
  | {kind: 'describe'; title: string; load: () => Promise<unknown>}
  | {
      kind: 'confirm';
      title: string;
      /** Exactly what will be affected, one line each. */
      lines: string[];
      confirmLabel: string;
      run: () => Promise<ActionResult>;
    }
  | {
      /** Give the real terminal to a process (exec): prepare first (errors stay in the UI), then run it. */
      kind: 'handoff';
      banner: string;
      /** The child reads the terminal itself (an editor); undock does not forward keys. */
      passthrough?: boolean;
      /** The runner says how it went: a status line, or what to do next (e.g. confirm a write). */
      prepare: () => Promise<(io: TerminalIO) => Promise<string | ActionResult>>;
    }
  | {kind: 'logs'; title: string; crumb: string; source: LogSourceSpec}
  | {
      kind: 'form';
      title: string;
      lines?: string[];
      fields: FormField[];
      submitLabel: string;
      submit: (values: Record<string, string>) => Promise<ActionResult>;
    };

/** What an action may use while it runs: the clients, where the view looks, and a way to report progress. */
export interface ActionEnv {
  ctx: DataContext;
  scope: LoadScope;
  report: (text: string) => void;
  /** Words given after a command, e.g. `:exec ls -l` -> ["ls", "-l"]. */
  args?: string[];
}

/** Where a log view reads from. */
export interface LogSourceSpec {
  path: string;
  format: 'cri' | 'plain';
  /** The previous attempt's log, for `p` on a restarted CRI container. */
  previousPath?: string;
}

export interface Action<Row> extends Binding {
  run: (row: Row, env: ActionEnv) => Promise<ActionResult> | ActionResult;
  /** Needs no selected row (e.g. pull). */
  noRow?: boolean;
  /** Why it cannot run on this row now (shown dimmed in the hints; said when pressed). */
  disabledReason?: (row: Row) => string | undefined;
}

export interface ResourceDef<Row> {
  id: string;
  title: string;
  aliases: string[];
  /** Which daemon the rows come from: its header entry goes down when a load fails. */
  daemon: Daemon;
  /** Whether rows depend on the current containerd namespace (shown in the title). */
  namespaced: boolean;
  /** Reached only by drilling down (needs params), not from the command bar. */
  nested?: boolean;
  /** A picker: `:id` opens it over the current view (esc goes back) instead of as a new root. */
  opensOnTop?: boolean;
  /** Can list every namespace at once (`:co all`, `0`). */
  allNamespaces?: boolean;
  /**
   * Reloads on containerd events (the relist timer is the safety net, backing off while the stream
   * is healthy): every event, or those of the namespaces this scope lists.
   */
  followsEvents?: boolean | ((eventNamespace: string, scope: LoadScope) => boolean);
  columns: Column<Row>[];
  defaultSort: {column: string; descending?: boolean};
  rowKey: (row: Row) => string;
  /** Labels the / filter's -l matches. */
  labels?: (row: Row) => Record<string, string>;
  /** Said after the title (e.g. since when the event feed has been recording). */
  titleNote?: (ctx: DataContext) => string | undefined;
  /** Title of a drilled-down view, from its params. */
  viewTitle?: (params: Record<string, string>) => string;
  load: (ctx: DataContext, scope: LoadScope, signal: AbortSignal) => Promise<Row[]>;
  /**
   * Live figures (CPU, memory) of the rows on screen, sampled apart from the relist every few
   * seconds: returns those rows with their new figures (same rowKey).
   */
  sample?: (ctx: DataContext, rows: Row[]) => Promise<Row[]>;
  actions: Action<Row>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResource = ResourceDef<any>;
