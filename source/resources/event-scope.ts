import type {LoadScope} from './types.js';

/** containerd events of the namespace a view lists (any, when it lists them all). */
export const sameNamespace = (eventNamespace: string, scope: LoadScope): boolean => scope.allNamespaces || eventNamespace === scope.namespace;

/**
 * CRI has no event stream here (containerd 1.6 does not implement GetContainerEvents), but every
 * pod sandbox and CRI container is a containerd container with a task in namespace k8s.io: its
 * native /tasks and /containers events there are what change a pod.
 */
export const criEvents = (eventNamespace: string): boolean => eventNamespace === 'k8s.io';
