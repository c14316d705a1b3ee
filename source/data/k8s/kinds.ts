/**
 * The kinds undock has a schema for: apiVersion + kind -> the protobuf message, and the folder
 * kube-apiserver stores them under in etcd (`/registry/<resource>/[<namespace>/]<name>`).
 */
export interface K8sKind {
  apiVersion: string;
  kind: string;
  /** the message's full protobuf name */
  type: string;
  /** the etcd folder under /registry */
  resource: string;
  namespaced: boolean;
}

const core = 'k8s.io.api.core.v1';
const apps = 'k8s.io.api.apps.v1';
const batch = 'k8s.io.api.batch.v1';
const rbac = 'k8s.io.api.rbac.v1';

function kind(apiVersion: string, name: string, pkg: string, resource: string, namespaced = true): K8sKind {
  return {apiVersion, kind: name, type: `${pkg}.${name}`, resource, namespaced};
}

export const K8S_KINDS: readonly K8sKind[] = [
  kind('v1', 'Pod', core, 'pods'),
  kind('v1', 'Node', core, 'minions', false),
  kind('v1', 'Namespace', core, 'namespaces', false),
  kind('v1', 'Service', core, 'services/specs'),
  kind('v1', 'Endpoints', core, 'services/endpoints'),
  kind('v1', 'ConfigMap', core, 'configmaps'),
  kind('v1', 'Secret', core, 'secrets'),
  kind('v1', 'ServiceAccount', core, 'serviceaccounts'),
  kind('v1', 'Event', core, 'events'),
  kind('v1', 'PersistentVolume', core, 'persistentvolumes', false),
  kind('v1', 'PersistentVolumeClaim', core, 'persistentvolumeclaims'),
  kind('apps/v1', 'Deployment', apps, 'deployments'),
  kind('apps/v1', 'ReplicaSet', apps, 'replicasets'),
  kind('apps/v1', 'DaemonSet', apps, 'daemonsets'),
  kind('apps/v1', 'StatefulSet', apps, 'statefulsets'),
  kind('apps/v1', 'ControllerRevision', apps, 'controllerrevisions'),
  kind('batch/v1', 'Job', batch, 'jobs'),
  kind('batch/v1', 'CronJob', batch, 'cronjobs'),
  kind('coordination.k8s.io/v1', 'Lease', 'k8s.io.api.coordination.v1', 'leases'),
  kind('discovery.k8s.io/v1', 'EndpointSlice', 'k8s.io.api.discovery.v1', 'endpointslices'),
  kind('rbac.authorization.k8s.io/v1', 'Role', rbac, 'roles'),
  kind('rbac.authorization.k8s.io/v1', 'RoleBinding', rbac, 'rolebindings'),
  kind('rbac.authorization.k8s.io/v1', 'ClusterRole', rbac, 'clusterroles', false),
  kind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', rbac, 'clusterrolebindings', false),
];

const byKey = new Map(K8S_KINDS.map((k) => [`${k.apiVersion}/${k.kind}`, k]));

/** The schema for an apiVersion and kind, when undock has one. */
export function kindOf(apiVersion: string, kindName: string): K8sKind | undefined {
  return byKey.get(`${apiVersion}/${kindName}`);
}

/** The proto files that define every kind above (relative to proto/). */

/** The kind stored under an etcd key (`/registry/pods/default/x` -> Pod), by its folder. */
export function kindOfKey(key: string, prefix = '/registry/'): K8sKind | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  let best: K8sKind | undefined;
  for (const k of K8S_KINDS) {
    if (rest.startsWith(`${k.resource}/`) && (!best || k.resource.length > best.resource.length)) best = k;
  }
  return best;
}
