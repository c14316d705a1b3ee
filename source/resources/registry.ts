import {alarms} from './alarms/index.js';
import {containers} from './containers/index.js';
import {contexts} from './contexts/index.js';
import {events} from './events/index.js';
import {forwards} from './forwards/index.js';
import {images} from './images/index.js';
import {leases} from './leases/index.js';
import {members} from './members/index.js';
import {namespaces} from './namespaces/index.js';
import {nodes} from './nodes/index.js';
import {podContainers} from './pod-containers/index.js';
import {podStats} from './pod-stats/index.js';
import {pods} from './pods/index.js';
import {processes} from './processes/index.js';
import {signals} from './processes/signals.js';
import {runtime} from './runtime/index.js';
import {stats} from './stats/index.js';
import {roles} from './roles/index.js';
import {rolePermissions} from './roles/permissions.js';
import {users} from './users/index.js';
import type {AnyResource} from './types.js';
import {usedBy} from './used-by/index.js';

/** The one list of resources: a resource is its folder plus one line here. */
export const resources: AnyResource[] = [images, containers, pods, namespaces, events, processes, signals, podContainers, leases, members, stats, podStats, forwards, runtime, contexts, alarms, users, roles, rolePermissions, usedBy, nodes];

export function findResource(name: string): AnyResource | undefined {
  const n = name.toLowerCase();
  return resources.find((r) => r.id === n || r.aliases.includes(n));
}
