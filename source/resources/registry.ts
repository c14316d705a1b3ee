import {images} from './images/index.js';
import {namespaces} from './namespaces/index.js';
import type {AnyResource} from './types.js';

/** The one list of resources: a resource is its folder plus one line here. */
export const resources: AnyResource[] = [images, namespaces];

export function findResource(name: string): AnyResource | undefined {
  const n = name.toLowerCase();
  return resources.find((r) => r.id === n || r.aliases.includes(n));
}

export const viewNames = resources.map((r) => r.id);
