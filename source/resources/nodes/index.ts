import {createDataContext} from '../../context.js';
import type {Config} from '../../config.js';
import {compareNode, type ApiPod, type FindingKind} from '../../data/k8s/drift.js';
import {podsPerNode, readNodesAndPods, type ApiNode} from '../../data/k8s/nodes.js';
import {runtimePods} from '../../data/k8s/runtime-side.js';
import {errorLine} from '../../data/errors.js';
import {contextConfig} from '../contexts/index.js';
import {describeAction} from '../confirm.js';
import {ageColumn} from '../format.js';
import {openKey} from '../links.js';
import type {DataContext, ResourceDef} from '../types.js';

/** What a node's context says, when the config file has one for it. */
export interface NodeContext {
  name: string;
  current: boolean;
  /** containerd's version, or why it did not answer. */
  containerd: {ok: boolean; text: string};
  /** The drift check's counts for that node, when its CRI answered. */
  orphans?: number;
  missing?: number;
}

export interface NodeRow extends ApiNode {
  pods: number;
  context?: NodeContext;
}

const ORPHANS: FindingKind[] = ['orphan', 'recreated', 'elsewhere'];
const PROBE_MS = 2_000;
// Another context's clients are opened for the probe and closed: asked at most this often.
const PROBE_EVERY_MS = 10_000;
const MEMO = 'nodes.contexts';

/** The context the config file has for each node (its `node`), the current one first. */
function contextsByNode(config: Config): Map<string, {name: string; config: Config}> {
  const out = new Map<string, {name: string; config: Config}>();
  if (config.node && config.context) out.set(config.node, {name: config.context, config});
  for (const name of config.contexts) {
    if (name === config.context) continue;
    try {
      const c = contextConfig(config, name);
      if (c.node && !out.has(c.node)) out.set(c.node, {name, config: c});
    } catch {
      // A broken context is the :ctx view's to show.
    }
  }
  return out;
}

async function probeNode(ctx: DataContext, node: string, entry: {name: string; config: Config}, apiPods: ApiPod[]): Promise<NodeContext> {
  const current = entry.name === ctx.config.context;
  const clients = current ? undefined : createDataContext(entry.config);
  try {
    await clients?.ready();
    const use = clients ?? ctx;
    const [version, runtime] = await Promise.allSettled([use.containerd.version({deadlineMs: PROBE_MS}), runtimePods(use.cri)]);
    const found: NodeContext = {
      name: entry.name,
      current,
      containerd: version.status === 'fulfilled' ? {ok: true, text: `● ${version.value.version}`} : {ok: false, text: `✗ ${errorLine(version.reason)}`},
    };
    if (runtime.status === 'fulfilled') {
      const findings = compareNode(node, apiPods, runtime.value);
      found.orphans = findings.filter((f) => ORPHANS.includes(f.kind)).length;
      found.missing = findings.filter((f) => f.kind === 'missing').length;
    }
    return found;
  } finally {
    clients?.close();
  }
}

async function loadNodes(ctx: DataContext, signal: AbortSignal): Promise<NodeRow[]> {
  const {nodes, pods} = await readNodesAndPods(ctx.etcd, signal);
  const counts = podsPerNode(pods);
  const byNode = contextsByNode(ctx.config);
  const memo = (ctx.memo.get(MEMO) as Map<string, {at: number; value: NodeContext}> | undefined) ?? new Map();
  ctx.memo.set(MEMO, memo);
  return Promise.all(
    nodes.map(async (n): Promise<NodeRow> => {
      const entry = byNode.get(n.name);
      if (!entry) return {...n, pods: counts.get(n.name) ?? 0};
      let cached = memo.get(n.name);
      if (!cached || Date.now() - cached.at >= PROBE_EVERY_MS) {
        cached = {at: Date.now(), value: await probeNode(ctx, n.name, entry, pods)};
        memo.set(n.name, cached);
      }
      return {...n, pods: counts.get(n.name) ?? 0, context: cached.value};
    }),
  );
}

const count = (n: number | undefined) => (n === undefined ? '-' : String(n));

/** :nodes: every Node the cluster's etcd holds, and for the nodes with a context, what their runtime says. */
export const nodes: ResourceDef<NodeRow> = {
  id: 'nodes',
  title: 'Nodes',
  aliases: ['node', 'no', 'fleet'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', cut: 'middle', cell: (r) => r.name},
    {id: 'status', header: 'STATUS', sortKey: 'S', cell: (r) => r.status},
    {id: 'roles', header: 'ROLES', cell: (r) => r.roles.join(',') || '<none>', priority: 0},
    ageColumn((r) => (r.createdAt === undefined ? undefined : new Date(r.createdAt))),
    {id: 'version', header: 'VERSION', cell: (r) => r.kubeletVersion || '-'},
    {id: 'ip', header: 'INTERNAL-IP', cell: (r) => r.internalIP || '-', priority: 0},
    {id: 'pods', header: 'PODS', sortKey: 'P', align: 'right', cell: (r) => String(r.pods), sortValue: (r) => r.pods, descendingFirst: true},
    {id: 'context', header: 'CONTEXT', cell: (r) => (r.context ? `${r.context.current ? '*' : ''}${r.context.name}` : '-')},
    {id: 'containerd', header: 'CONTAINERD', grow: true, cell: (r) => r.context?.containerd.text ?? '-'},
    {id: 'orphans', header: 'ORPHANS', sortKey: 'O', align: 'right', cell: (r) => count(r.context?.orphans), sortValue: (r) => r.context?.orphans ?? -1, descendingFirst: true},
    {id: 'missing', header: 'MISSING', sortKey: 'M', align: 'right', cell: (r) => count(r.context?.missing), sortValue: (r) => r.context?.missing ?? -1, descendingFirst: true},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.key,
  load: (ctx, _scope, signal) => loadNodes(ctx, signal),
  actions: [
    {
      id: 'switch',
      keys: ['enter'],
      label: 'switch to its context',
      hint: true,
      disabledReason: (r) => (!r.context ? `no context in the config file names node ${r.name} (a context's node: setting)` : r.context.current ? `already in context ${r.context.name}` : undefined),
      run: (r) => ({kind: 'switch-context', context: r.context!.name}),
    },
    {id: 'object', keys: ['K'], label: 'API object (etcd)', hint: true, run: (r) => openKey(r.key, `node ${r.name}`)},
    describeAction(
      (r) => `node ${r.name}`,
      async (r) => ({node: r.name, status: r.status, roles: r.roles, kubelet: r.kubeletVersion, internalIP: r.internalIP, pods: r.pods, context: r.context ?? 'none names this node'}),
    ),
  ],
};
