import {buildConfig, type Config} from '../../config.js';
import {createDataContext} from '../../context.js';
import {errorLine} from '../../data/errors.js';
import {describeAction} from '../confirm.js';
import type {DataContext, ResourceDef} from '../types.js';

/** One daemon of a context as a probe found it: its version, or why it did not answer. */
export interface Reach {
  ok: boolean;
  text: string;
}

export interface ContextRow {
  name: string;
  current: boolean;
  address: string;
  etcd: string;
  node?: string;
  readonly: boolean;
  containerd: Reach;
  cri: Reach;
  etcdReach: Reach;
}

const PROBE_MS = 2_000;
// Probing a context opens its clients: a list shown for a while asks again this often, not every relist.
const PROBE_EVERY_MS = 10_000;
const MEMO = 'contexts.probes';

function reach(settled: PromiseSettledResult<string>): Reach {
  return settled.status === 'fulfilled' ? {ok: true, text: settled.value} : {ok: false, text: errorLine(settled.reason)};
}

async function probe(ctx: Pick<DataContext, 'containerd' | 'cri' | 'etcd'>): Promise<Pick<ContextRow, 'containerd' | 'cri' | 'etcdReach'>> {
  const [c, r, e] = await Promise.allSettled([
    ctx.containerd.version({deadlineMs: PROBE_MS}).then((v) => `containerd ${v.version}`),
    ctx.cri.version({deadlineMs: PROBE_MS}).then((v) => `${v.runtime_name} ${v.runtime_version}`),
    ctx.etcd.version(PROBE_MS).then((v) => `etcd ${v.server}`),
  ]);
  return {containerd: reach(c), cri: reach(r), etcdReach: reach(e)};
}

/** The config of another context of the same file, as a switch would build it. */
export function contextConfig(current: Config, name: string): Config {
  if (!current.file) throw new Error('no config file');
  return buildConfig({context: name, readonly: current.origins.readonly === 'flag --readonly' || undefined}, {}, undefined, {file: current.file, switching: true});
}

async function loadContexts(ctx: DataContext): Promise<ContextRow[]> {
  const {config} = ctx;
  const memo = (ctx.memo.get(MEMO) as Map<string, {at: number; row: ContextRow}> | undefined) ?? new Map();
  ctx.memo.set(MEMO, memo);
  const rows = await Promise.all(
    config.contexts.map(async (name): Promise<ContextRow> => {
      const cached = memo.get(name);
      if (cached && Date.now() - cached.at < PROBE_EVERY_MS) return cached.row;
      const current = name === config.context;
      let other: Config;
      try {
        other = current ? config : contextConfig(config, name);
      } catch (err) {
        const bad = {ok: false, text: errorLine(err)};
        return {name, current, address: '-', etcd: '-', readonly: false, containerd: bad, cri: bad, etcdReach: bad};
      }
      // The current context's own clients answer for it; another's are opened for the probe and closed.
      const clients = current ? undefined : createDataContext(other);
      try {
        const found = await probe(clients ?? ctx);
        const row: ContextRow = {name, current, address: other.address, etcd: other.etcdEndpoints.join(','), node: other.node, readonly: other.readonly, ...found};
        memo.set(name, {at: Date.now(), row});
        return row;
      } finally {
        clients?.close();
      }
    }),
  );
  return rows;
}

const mark = (r: Reach) => (r.ok ? r.text : `✗ ${r.text}`);

export const contexts: ResourceDef<ContextRow> = {
  id: 'contexts',
  title: 'Contexts',
  aliases: ['ctx', 'context'],
  daemon: 'containerd',
  namespaced: false,
  columns: [
    {id: 'current', header: ' ', cell: (r) => (r.current ? '*' : '')},
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
    {id: 'containerd', header: 'CONTAINERD', sortKey: 'C', cell: (r) => mark(r.containerd), priority: 3},
    {id: 'cri', header: 'CRI', cell: (r) => mark(r.cri), priority: 2},
    {id: 'etcd-reach', header: 'ETCD', sortKey: 'E', cell: (r) => mark(r.etcdReach), priority: 3},
    {id: 'node', header: 'NODE', cell: (r) => r.node ?? '-'},
    {id: 'ro', header: 'RO', cell: (r) => (r.readonly ? 'yes' : '')},
    {id: 'address', header: 'ADDRESS', grow: true, cut: 'middle', cell: (r) => r.address},
    {id: 'etcd', header: 'ETCD ENDPOINTS', cut: 'middle', cell: (r) => r.etcd, priority: 0},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.name,
  load: (ctx) => loadContexts(ctx),
  actions: [
    {
      id: 'switch',
      keys: ['enter'],
      label: 'switch',
      hint: true,
      disabledReason: (r) => (r.current ? `already in context ${r.name}` : undefined),
      run: (r) => ({kind: 'switch-context', context: r.name}),
    },
    describeAction(
      (r) => `context ${r.name}`,
      async (r, {ctx}) => {
        const c = r.current ? ctx.config : contextConfig(ctx.config, r.name);
        return {
          context: r.name,
          file: c.configFile,
          containerd: {address: c.address, namespace: c.namespace, reach: r.containerd.text},
          cri: {endpoint: c.runtimeEndpoint, reach: r.cri.text},
          etcd: {endpoints: c.etcdEndpoints, user: c.etcdUser?.split(':')[0], cacert: c.etcdCacert, cert: c.etcdCert, reach: r.etcdReach.text},
          node: c.node,
          readonly: c.readonly,
        };
      },
    ),
  ],
};
