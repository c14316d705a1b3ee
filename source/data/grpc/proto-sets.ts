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

/** The files of a set: a file path under proto/ is a set of that one file (and what it imports). */
export function setFiles(set: string): string[] {
  return set === anyPayloadSet ? anyPayloadFiles : [set];
}
