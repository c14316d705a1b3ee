// Where API objects live in etcd and what the cross-links read out of them: a pod's key, its
// fields the drift check compares, an object's owner.
import type {ApiPod} from './drift.js';
import {K8S_KINDS} from './kinds.js';
import {readK8sObject} from './object.js';

export const PODS_PREFIX = '/registry/pods/';

/** Folders kube-apiserver uses that are not the kind's lower-case plural. */
const FOLDERS: Record<string, string> = {Node: 'minions', Service: 'services/specs', Endpoints: 'services/endpoints'};
const CLUSTER_SCOPED = new Set(['Node', 'Namespace', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass', 'CSINode']);

export function podKey(namespace: string, name: string): string {
  return `${PODS_PREFIX}${namespace}/${name}`;
}

/** `/registry/pods/<ns>/<name>` as its namespace and name; anything else: undefined. */
export function parsePodKey(key: string): {namespace: string; name: string} | undefined {
  if (!key.startsWith(PODS_PREFIX)) return undefined;
  const [namespace, name, ...rest] = key.slice(PODS_PREFIX.length).split('/');
  return namespace && name && rest.length === 0 ? {namespace, name} : undefined;
}

/** The etcd key of an object of `kind` (its folder as kube-apiserver stores it). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  const known = K8S_KINDS.find((k) => k.kind === kind);
  const folder = known?.resource ?? FOLDERS[kind] ?? `${kind.toLowerCase()}s`;
  const namespaced = known ? known.namespaced : !CLUSTER_SCOPED.has(kind);
  return namespaced && namespace ? `/registry/${folder}/${namespace}/${name}` : `/registry/${folder}/${name}`;
}

type Obj = Record<string, unknown>;
/** A decoded object's field as a mapping or a string, empty when it is not one (a partial object is fine). */
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stored Pod as the drift check needs it; undefined for anything that is not a readable Pod. */
export function apiPodOf(key: string, value: Uint8Array): ApiPod | undefined {
  const read = readK8sObject(value);
  if (!read.ok || read.kind !== 'Pod') return undefined;
  const meta = obj(read.object.metadata);
  const spec = obj(read.object.spec);
  const status = obj(read.object.status);
  const containers = Array.isArray(spec.containers) ? spec.containers.map(obj) : [];
  const fromKey = parsePodKey(key);
  return {
    key,
    namespace: str(meta.namespace) || fromKey?.namespace || '',
    name: str(meta.name) || fromKey?.name || '',
    uid: str(meta.uid),
    nodeName: str(spec.nodeName),
    phase: str(status.phase),
    deleting: Boolean(meta.deletionTimestamp),
    containers: containers.map((c) => ({name: str(c.name), image: str(c.image)})),
  };
}

export interface OwnerLink {
  kind: string;
  name: string;
  uid: string;
  key: string;
}

/** The object's owner (its controller when it names one), with the key it is stored under. */
export function ownerOf(object: Obj): OwnerLink | undefined {
  const meta = obj(object.metadata);
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.map(obj) : [];
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (!ref || !str(ref.kind) || !str(ref.name)) return undefined;
  return {kind: str(ref.kind), name: str(ref.name), uid: str(ref.uid), key: objectKey(str(ref.kind), str(meta.namespace) || undefined, str(ref.name))};
}
