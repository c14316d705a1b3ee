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

function kind(apiVersion: string, name: string, pkg: string, resource: string, namespaced = true): K8sKind {
  return {apiVersion, kind: name, type: `${pkg}.${name}`, resource, namespaced};
}

export const K8S_KINDS: readonly K8sKind[] = [
  kind('v1', 'Pod', core, 'pods'),
  kind('v1', 'Node', core, 'minions', false),
];

const byKey = new Map(K8S_KINDS.map((k) => [`${k.apiVersion}/${k.kind}`, k]));

/** The schema for an apiVersion and kind, when undock has one. */
export function kindOf(apiVersion: string, kindName: string): K8sKind | undefined {
  return byKey.get(`${apiVersion}/${kindName}`);
}

/** The proto files that define every kind above (relative to proto/). */
export const K8S_PROTO_FILES: readonly string[] = [
  'k8s.io/apimachinery/pkg/runtime/runtime.proto',
  'k8s.io/api/core/v1/pod.proto',
  'k8s.io/api/core/v1/node.proto',
];
