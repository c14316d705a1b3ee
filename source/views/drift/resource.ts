import os from 'node:os';
import {compareNode, inferNode, KIND_LABEL, type Finding} from '../../data/k8s/drift.js';
import type {ApiPodWatch} from '../../data/k8s/pod-watch.js';
import {runtimePods} from '../../data/k8s/runtime-side.js';
import {shortDigest} from '../../resources/format.js';
import {openKey} from '../../resources/links.js';
import type {Action, DataContext, ResourceDef} from '../../resources/types.js';

/** Where the open drift view's Pod watch is, for its loads (the view owns it). */
export const DRIFT_WATCH = 'drift:pods';
const DRIFT_NODE = 'drift:node';

export interface DriftRow extends Finding {
  id: string;
}

type NodeChoice = {node: string; from: 'flag' | 'pods' | 'hostname'};

const FROM: Record<NodeChoice['from'], string> = {
  flag: '--node',
  pods: "the node etcd binds this runtime's pods to; --node sets it",
  hostname: 'the hostname: no pod here matches one in etcd; --node sets it',
};

/** Both sides read, then compared: the Pods from the view's watch, the sandboxes listed now. */
async function loadDrift(ctx: DataContext): Promise<DriftRow[]> {
  const watch = ctx.memo.get(DRIFT_WATCH) as ApiPodWatch | undefined;
  if (!watch) throw new Error('the drift view is not open');
  const [, runtime] = await Promise.all([watch.ready(), runtimePods(ctx.cri)]);
  const apiPods = [...watch.pods.values()];
  const choice: NodeChoice = ctx.config.node ? {node: ctx.config.node, from: 'flag'} : inferNode(apiPods, runtime, os.hostname());
  ctx.memo.set(DRIFT_NODE, choice);
  return compareNode(choice.node, apiPods, runtime).map((f) => ({...f, id: `${f.kind}:${f.namespace}/${f.name}:${f.sandboxId ?? ''}:${f.container ?? ''}`}));
}

const noKey = (r: DriftRow) => (r.key ? undefined : 'the API has no such pod');
const noSandbox = (r: DriftRow) => (r.sandboxId ? undefined : 'no sandbox on this node');

const actions: Action<DriftRow>[] = [
  {
    id: 'open',
    keys: ['enter'],
    label: 'the side that exists',
    hint: true,
    run: (r) =>
      r.key
        ? openKey(r.key, `${KIND_LABEL[r.kind]}: ${r.meaning}`)
        : {kind: 'push', resource: 'pods', params: {}, crumb: r.name, filter: shortDigest(r.sandboxId ?? '')},
  },
  {id: 'api-object', keys: ['K'], label: 'API object (etcd)', hint: true, disabledReason: noKey, run: (r) => openKey(r.key!, `${KIND_LABEL[r.kind]}: ${r.meaning}`)},
  {
    id: 'sandbox',
    keys: ['p'],
    label: 'its sandbox',
    hint: true,
    disabledReason: noSandbox,
    run: (r) => ({kind: 'push', resource: 'pods', params: {}, crumb: r.name, filter: shortDigest(r.sandboxId!)}),
  },
  {
    id: 'containers',
    keys: ['c'],
    label: 'its containers',
    disabledReason: noSandbox,
    run: (r) => ({kind: 'push', resource: 'pod-containers', params: {podId: r.sandboxId!, pod: `${r.namespace}/${r.name}`}, crumb: r.name}),
  },
];

/** :drift: what etcd says runs on this node against what the runtime runs, one row per disagreement. */
export const drift: ResourceDef<DriftRow> = {
  id: 'drift',
  title: 'Drift',
  aliases: [],
  daemon: 'cri',
  namespaced: false,
  followsEvents: true,
  titleNote: (ctx) => {
    const c = ctx.memo.get(DRIFT_NODE) as NodeChoice | undefined;
    return c ? `node ${c.node} (${FROM[c.from]})` : undefined;
  },
  columns: [
    {id: 'finding', header: 'FINDING', sortKey: 'F', cell: (r) => KIND_LABEL[r.kind], sortValue: (r) => Object.keys(KIND_LABEL).indexOf(r.kind)},
    {id: 'pod', header: 'POD', sortKey: 'N', cut: 'middle', cell: (r) => `${r.namespace}/${r.name}`},
    {id: 'sandbox', header: 'SANDBOX', priority: 2, cell: (r) => (r.sandboxId ? shortDigest(r.sandboxId) : '-')},
    {id: 'api', header: 'API', priority: 0, cell: (r) => (r.key ? 'yes' : '-')},
    {id: 'detail', header: 'DETAIL', priority: 2, cell: (r) => r.detail},
    {id: 'meaning', header: 'MEANING', grow: true, cell: (r) => r.meaning},
  ],
  defaultSort: {column: 'finding'},
  rowKey: (r) => r.id,
  load: (ctx) => loadDrift(ctx),
  actions,
};
