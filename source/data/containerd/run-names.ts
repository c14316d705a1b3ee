// Container names for `run`: which are valid, and refusing one already in use.
import {UndockError} from '../errors.js';
import type {ContainerdClient} from './client.js';
import {containersProto, containersService} from './containers.js';

export const NAME_LABEL = 'nerdctl/name';

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function validateContainerName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new UndockError('invalid', `"${name}" is not a valid container name`, 'use letters, digits, _ . - and start with a letter or digit');
  }
  // containerd refuses longer identifiers.
  if (name.length > 76) throw new UndockError('invalid', `container name "${name}" is longer than 76 characters`);
}

/** Refuses a name some container has as its id or (as nerdctl names them) its name label. */
export async function refuseTakenName(c: ContainerdClient, ns: string, name: string): Promise<void> {
  const res = await c.conn.unary<object, {containers: Array<{id: string; labels: Record<string, string>}>}>(
    containersProto,
    containersService,
    'List',
    // Filters in one list are OR'ed: the id, or the name label.
    {filters: [`id==${JSON.stringify(name)}`, `labels.${JSON.stringify(NAME_LABEL)}==${JSON.stringify(name)}`]},
    {namespace: ns},
  );
  const taken = res.containers[0];
  if (taken) {
    const how = taken.id === name ? 'as its id' : `by container ${taken.id}`;
    throw new UndockError('invalid', `the name "${name}" is already in use in namespace ${ns} (${how})`, 'choose another name, or remove that container first');
  }
}
