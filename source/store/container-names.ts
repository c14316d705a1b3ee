import type {ContainerdClient} from '../data/containerd/client.js';
import {getContainer, listContainers} from '../data/containerd/containers.js';
import {forEachSliced} from '../data/slices.js';
import {containerName} from '../resources/names.js';

/** Past this many, names no kept event refers to are forgotten. */
const MAX_NAMES = 2_000;

/**
 * What the event feed calls containers, by `namespace/id`: learned from one listing per namespace
 * when the feed (re)subscribes and from one Get per /containers/create, and kept after the container
 * is deleted, so its events still name it.
 */
export class ContainerNames {
  private readonly names = new Map<string, string>();
  private readonly client: ContainerdClient;

  constructor(client: ContainerdClient) {
    this.client = client;
  }

  get(namespace: string, id: string): string | undefined {
    return this.names.get(`${namespace}/${id}`);
  }

  async learnAll(): Promise<void> {
    try {
      const namespaces = await this.client.listNamespaces();
      await Promise.all(
        namespaces.map(async ({name: ns}) => {
          const all = await listContainers(this.client, ns, [], {withSpec: false});
          await forEachSliced(all, (c) => void this.names.set(`${ns}/${c.id}`, containerName(c)));
        }),
      );
    } catch {
      // Events still show IDs; the next subscription tries again.
    }
  }

  /** One new container; resolves (without a name) within a second whatever containerd does. */
  learn(namespace: string, id: string): Promise<void> {
    const get = getContainer(this.client, namespace, id).then(
      (c) => void this.names.set(`${namespace}/${id}`, containerName(c)),
      () => undefined,
    );
    return Promise.race([get, new Promise<void>((r) => setTimeout(r, 1_000).unref())]);
  }

  prune(referencedKeys: () => Set<string>): void {
    if (this.names.size <= MAX_NAMES) return;
    const referenced = referencedKeys();
    for (const k of this.names.keys()) if (!referenced.has(k)) this.names.delete(k);
  }
}
