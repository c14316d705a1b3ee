import type {ContainerdClient} from '../data/containerd/client.js';
import type {ImageContentResolver} from '../data/containerd/image-content.js';
import type {CriClient} from '../data/cri/client.js';
import type {EtcdClient} from '../data/etcd/client.js';
import type {Binding} from '../keys/bindings.js';
import type {Config} from '../config.js';

/** Everything a resource's data access may use. Views never see this: they read stores. */
export interface DataContext {
  config: Config;
  containerd: ContainerdClient;
  cri: CriClient;
  etcd: EtcdClient;
  imageContent: ImageContentResolver;
}

export interface Column<Row> {
  id: string;
  header: string;
  /** Shift+letter that sorts by this column, as in k9s. */
  sortKey?: string;
  align?: 'left' | 'right';
  /** Takes the width that is left (one column per table). */
  grow?: boolean;
  /** Pure rendering of one cell. */
  cell: (row: Row, now: number) => string;
  /** What sorting compares; defaults to the cell text. */
  sortValue?: (row: Row) => string | number;
}

/** What a resource action does when its key is pressed; the app carries it out. */
export type ActionResult =
  | {kind: 'status'; text: string; level?: 'info' | 'error'}
  | {kind: 'set-namespace'; namespace: string}
  | {kind: 'none'};

export interface Action<Row> extends Binding {
  run: (row: Row, ctx: DataContext) => Promise<ActionResult> | ActionResult;
}

export interface ResourceDef<Row> {
  id: string;
  title: string;
  aliases: string[];
  /** Whether rows depend on the current containerd namespace (shown in the title). */
  namespaced: boolean;
  columns: Column<Row>[];
  defaultSort: {column: string; descending?: boolean};
  rowKey: (row: Row) => string;
  /** Words the / filter matches besides the cells (e.g. labels as key=value). */
  labels?: (row: Row) => Record<string, string>;
  load: (ctx: DataContext, namespace: string, signal: AbortSignal) => Promise<Row[]>;
  actions: Action<Row>[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResource = ResourceDef<any>;
