import {containers} from './containers/index.js';
import {events} from './events/index.js';
import {images} from './images/index.js';
import {leases} from './leases/index.js';
import {members} from './members/index.js';
import {namespaces} from './namespaces/index.js';
import {podContainers} from './pod-containers/index.js';
import {pods} from './pods/index.js';
import {processes} from './processes/index.js';
import type {AnyResource} from './types.js';
import {usedBy} from './used-by/index.js';

/** The one list of resources: a resource is its folder plus one line here. */
export const resources: AnyResource[] = [images, containers, pods, namespaces, events, processes, podContainers, leases, members, usedBy];

export function findResource(name: string): AnyResource | undefined {
  const n = name.toLowerCase();
  return resources.find((r) => r.id === n || r.aliases.includes(n));
}
