// Cross-links between the runtime and the API objects in etcd: each reads what it needs when the
// key is pressed and says in one line what it found (a uid mismatch, nothing there).
import {getValue} from '../data/etcd/keys.js';
import {apiPodOf, ownerOf, parsePodKey, podKey} from '../data/k8s/links.js';
import {readK8sObject} from '../data/k8s/object.js';
import {sandboxOf} from '../data/k8s/runtime-side.js';
import {splitReference} from './images/reference.js';
import type {ActionResult, DataContext} from './types.js';

/** Opens the key tree at `key` (the view registers as `keys`), with a line of what the link found. */
export function openKey(key: string, note: string): ActionResult {
  return {kind: 'view', view: 'keys', payload: {target: key, note, crumb: key.replace(/^\/registry\//, '')}};
}

/**
 * A sandbox's API object, `/registry/pods/<ns>/<name>`, opened in the key tree, where the preview
 * decodes it; a different uid there says the API object was recreated.
 */
export async function apiObjectLink(ctx: DataContext, pod: {namespace: string; name: string; uid: string}): Promise<ActionResult> {
  const key = podKey(pod.namespace, pod.name);
  const kv = await getValue(ctx.etcd, key);
  if (!kv) {
    return {kind: 'status', level: 'error', text: `no API object ${key} in etcd: the sandbox is an orphan (its pod was deleted, or no kubelet made it); see :drift`};
  }
  const api = apiPodOf(key, kv.value);
  if (api && pod.uid && api.uid && api.uid !== pod.uid) {
    return openKey(key, `uid mismatch: the sandbox is pod uid ${pod.uid}, the API object is ${api.uid}: the API object was recreated, this sandbox is the old pod's`);
  }
  const where = api?.nodeName ? `, bound to ${api.nodeName}` : '';
  return openKey(key, `the API object of sandbox ${pod.namespace}/${pod.name} (uid ${api?.uid || pod.uid || '?'} on both sides${where})`);
}

/** From a `/registry/pods/` key: its sandbox on this node (the pods table at it), or its containers. */
export async function sandboxLink(ctx: DataContext, key: string, to: 'pod' | 'containers'): Promise<ActionResult> {
  const named = parsePodKey(key);
  if (!named) return {kind: 'status', level: 'error', text: `${key} is not a pod's key (/registry/pods/<namespace>/<name>)`};
  const kv = await getValue(ctx.etcd, key);
  const uid = kv ? apiPodOf(key, kv.value)?.uid ?? '' : '';
  const found = await sandboxOf(ctx.cri, {...named, uid});
  if (!found) return {kind: 'status', level: 'error', text: `no sandbox of pod ${named.namespace}/${named.name} on this node (CRI has none with its uid or name)`};
  const {pod, uidMismatch} = found;
  const crumb = uidMismatch ? `${pod.name} (uid mismatch: sandbox ${pod.uid}, API ${uid})` : pod.name;
  if (to === 'containers') return {kind: 'push', resource: 'pod-containers', params: {podId: pod.id, pod: `${pod.namespace}/${pod.name}`}, crumb};
  return {kind: 'push', resource: 'pods', params: {}, crumb, filter: pod.id.slice(0, 12)};
}

/** An object's owner (its controller's ownerReference), opened in the key tree. */
export async function ownerLink(ctx: DataContext, key: string): Promise<ActionResult> {
  const kv = await getValue(ctx.etcd, key);
  if (!kv) return {kind: 'status', level: 'error', text: `${key} no longer exists`};
  const read = readK8sObject(kv.value);
  if (!read.ok) return {kind: 'status', level: 'error', text: `${key}: ${read.reason}: no owner to read`};
  const owner = ownerOf(read.object);
  if (!owner) return {kind: 'status', text: `${read.kind} ${key} has no ownerReferences: nothing owns it`};
  const target = await getValue(ctx.etcd, owner.key);
  if (!target) return {kind: 'status', level: 'error', text: `its owner ${owner.kind} ${owner.name} is not in etcd (${owner.key}): the garbage collector will delete this ${read.kind}`};
  const ownerRead = readK8sObject(target.value);
  const ownerUid = ownerRead.ok ? String((ownerRead.object.metadata as {uid?: string} | undefined)?.uid ?? '') : '';
  const mismatch = owner.uid && ownerUid && owner.uid !== ownerUid ? `; uid mismatch: the reference names ${owner.uid}, the object is ${ownerUid} (recreated)` : '';
  return openKey(owner.key, `owner of ${key}: ${owner.kind} ${owner.name}${mismatch}`);
}

/**
 * A container's image: the images table at it when the container is in the namespace shown, else
 * the image described from the container's own namespace.
 */
export function imageLink(ctx: DataContext, shownNamespace: string, container: {namespace: string; image: string}): ActionResult {
  if (!container.image) return {kind: 'status', level: 'error', text: 'the container names no image'};
  if (container.namespace === shownNamespace) {
    return {kind: 'push', resource: 'images', params: {}, crumb: container.image, filter: splitReference(container.image).repository};
  }
  return {
    kind: 'describe',
    title: `image ${container.image} (namespace ${container.namespace})`,
    load: async () => ctx.containerd.getImage(container.namespace, container.image),
  };
}
