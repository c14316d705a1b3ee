/**
 * The sets of proto/ files loaded together into one protobuf root. Each service file is a set of its
 * own (what a GrpcConnection loads for its service); `anyPayloadSet` is the messages containerd puts
 * into Any fields that undock shows (events, cgroups v1 metrics, runc options).
 */
export const anyPayloadSet = 'any-payloads';

export const anyPayloadFiles = [
  'containerd/events/container.proto',
  'containerd/events/content.proto',
  'containerd/events/image.proto',
  'containerd/events/namespace.proto',
  'containerd/events/snapshot.proto',
  'containerd/events/task.proto',
  'cgroups/stats/v1/metrics.proto',
  'containerd/runtime/v2/runc/options/oci.proto',
];

/** The Kubernetes objects the key tree decodes (data/k8s), loaded into one root. */
export const k8sObjectSet = 'k8s-objects';

export const k8sObjectFiles: readonly string[] = [
  'k8s.io/apimachinery/pkg/runtime/runtime.proto',
  'k8s.io/api/core/v1/pod.proto',
  'k8s.io/api/core/v1/node.proto',
  'k8s.io/api/core/v1/objects.proto',
  'k8s.io/api/core/v1/service.proto',
  'k8s.io/api/apps/v1/apps.proto',
  'k8s.io/api/batch/v1/batch.proto',
  'k8s.io/api/coordination/v1/coordination.proto',
  'k8s.io/api/discovery/v1/discovery.proto',
  'k8s.io/api/rbac/v1/rbac.proto',
];

/** The files of a set: a file path under proto/ is a set of that one file (and what it imports). */
export function setFiles(set: string): string[] {
  if (set === anyPayloadSet) return anyPayloadFiles;
  if (set === k8sObjectSet) return [...k8sObjectFiles];
  return [set];
}
