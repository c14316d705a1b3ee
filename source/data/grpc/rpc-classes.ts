/*
 * Which RPCs read and which change something, for every service in proto/. GrpcConnection lets a
 * read-only connection send only what is listed under `read`; everything else, including a method
 * missing here, is refused before it is sent. test/unit/data/rpc-classes.test.ts checks this table
 * against the .proto files, so an RPC added there without a class here fails the tests.
 *
 * A write changes daemon state, starts or signals a process, or opens a stream into a container.
 */

export interface RpcClass {
  read: readonly string[];
  write: readonly string[];
}

export const rpcClasses: Readonly<Record<string, RpcClass>> = {
  'containerd.services.version.v1.Version': {
    read: ['Version'],
    write: [],
  },
  'containerd.services.namespaces.v1.Namespaces': {
    read: ['Get', 'List'],
    write: [],
  },
  'containerd.services.containers.v1.Containers': {
    read: ['Get', 'List', 'ListStream'],
    // Update changes labels (the restart monitor's desired state among them).
    write: ['Create', 'Update', 'Delete'],
  },
  'containerd.services.images.v1.Images': {
    read: ['Get', 'List'],
    write: ['Create', 'Update', 'Delete'],
  },
  'containerd.services.content.v1.Content': {
    read: ['Info', 'Read', 'ListStatuses'],
    write: ['Write', 'Update'],
  },
  'containerd.services.leases.v1.Leases': {
    read: [],
    write: ['Create', 'Delete', 'AddResource'],
  },
  'containerd.services.diff.v1.Diff': {
    // Apply unpacks a layer into a snapshot.
    read: [],
    write: ['Apply'],
  },
  'containerd.services.events.v1.Events': {
    // Subscribe only listens; publishing (Publish/Forward) is not in proto/ and would be refused.
    read: ['Subscribe'],
    write: [],
  },
  'containerd.services.snapshots.v1.Snapshots': {
    // Mounts only reports the mounts of an existing snapshot; Prepare is what makes one.
    read: ['Mounts', 'Stat', 'Usage'],
    write: ['Prepare', 'Commit', 'Remove', 'Update'],
  },
  'containerd.services.tasks.v1.Tasks': {
    // Wait only blocks until a process exits; it does not make it exit.
    read: ['Get', 'List', 'ListPids', 'Metrics', 'Wait'],
    write: ['Create', 'Start', 'Delete', 'DeleteProcess', 'Kill', 'Exec', 'ResizePty', 'CloseIO', 'Pause', 'Resume'],
  },
  'runtime.v1.RuntimeService': {
    read: ['Version', 'PodSandboxStatus', 'ListPodSandbox', 'ListContainers', 'ContainerStatus', 'ContainerStats', 'ListContainerStats', 'PodSandboxStats', 'ListPodSandboxStats', 'Status'],
    // Exec, Attach and PortForward only hand back a URL, but the URL is a stream into the container.
    write: [
      'RunPodSandbox',
      'StopPodSandbox',
      'RemovePodSandbox',
      'CreateContainer',
      'StartContainer',
      'StopContainer',
      'RemoveContainer',
      'ExecSync',
      'Exec',
      'Attach',
      'PortForward',
    ],
  },
  'runtime.v1.ImageService': {
    read: ['ListImages', 'ImageStatus', 'ImageFsInfo'],
    write: ['PullImage', 'RemoveImage'],
  },
};

const readSets = new Map(Object.entries(rpcClasses).map(([service, c]) => [service, new Set(c.read)]));

/** True only for a method listed as a read of its service (full name, e.g. runtime.v1.ImageService). */
export function isReadRpc(service: string, method: string): boolean {
  return readSets.get(service)?.has(method) ?? false;
}

/** "Tasks.Exec" for containerd.services.tasks.v1.Tasks, Exec: how the user-facing texts name an RPC. */
export function rpcName(service: string, method: string): string {
  return `${service.slice(service.lastIndexOf('.') + 1)}.${method}`;
}
