import type {Etcd3} from 'etcd3';
import {UndockError} from '../errors.js';
import type {EtcdClient} from './client.js';
import {deadline, etcdFailure, prefixRangeEnd} from './keys.js';

export interface EtcdUser {
  name: string;
  roles: string[];
}

export type PermissionType = 'read' | 'write' | 'readwrite';

export interface EtcdPermission {
  type: PermissionType;
  key: Buffer;
  /** empty: the key alone; "\0": every key from `key` on; else the end, exclusive */
  rangeEnd: Buffer;
}

export interface EtcdRole {
  name: string;
  permissions: EtcdPermission[];
}

export interface AuthStatus {
  enabled: boolean;
  /** how it was found: AuthStatus (3.5+) or Authenticate's answer (3.4) */
  via: 'AuthStatus' | 'Authenticate';
}

const TYPES: Record<string, PermissionType> = {Read: 'read', Write: 'write', Readwrite: 'readwrite'};
const WIRE_TYPES: Record<PermissionType, 'Read' | 'Write' | 'Readwrite'> = {read: 'Read', write: 'Write', readwrite: 'Readwrite'};

/** A name no one gives a user: Authenticate with it can only say "not enabled" or "failed". */
const PROBE_USER = '\u0000undock-auth-probe';

/**
 * Whether authentication is on. etcd 3.4 has no AuthStatus RPC, so its Authenticate answer tells:
 * "authentication is not enabled" or, for a user that cannot exist, "authentication failed".
 */
export async function authStatus(client: EtcdClient): Promise<AuthStatus> {
  try {
    return {enabled: (await client.reads.authStatus(deadline(5_000))).enabled, via: 'AuthStatus'};
  } catch (e) {
    if (!/UNIMPLEMENTED|unknown method/i.test(String((e as Error)?.message))) throw etcdFailure(e, client, 'reading the auth status');
  }
  try {
    await client.reads.authenticate(PROBE_USER, '', deadline(5_000));
    return {enabled: true, via: 'Authenticate'};
  } catch (e) {
    const message = String((e as Error)?.message);
    if (/authentication is not enabled/i.test(message)) return {enabled: false, via: 'Authenticate'};
    if (/authentication failed|invalid user ID or password/i.test(message)) return {enabled: true, via: 'Authenticate'};
    throw etcdFailure(e, client, 'reading the auth status');
  }
}

export async function listUsers(client: EtcdClient): Promise<EtcdUser[]> {
  try {
    const names = (await client.reads.userList(deadline())).users ?? [];
    const users = await Promise.all(names.map(async (name) => ({name, roles: [...((await client.reads.userGet(name, deadline())).roles ?? [])].sort()})));
    return users.sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw etcdFailure(e, client, 'listing users');
  }
}

export async function listRoles(client: EtcdClient): Promise<EtcdRole[]> {
  try {
    const names = (await client.reads.roleList(deadline())).roles ?? [];
    const roles = await Promise.all(names.map((name) => getRole(client, name)));
    return roles.sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw etcdFailure(e, client, 'listing roles');
  }
}

export async function getRole(client: EtcdClient, name: string): Promise<EtcdRole> {
  try {
    const r = await client.reads.roleGet(name, deadline());
    const permissions = (r.perm ?? []).map((p) => ({type: TYPES[p.permType] ?? 'read', key: Buffer.from(p.key ?? []), rangeEnd: Buffer.from(p.range_end ?? [])}));
    return {name, permissions};
  } catch (e) {
    throw etcdFailure(e, client, `reading role ${name}`);
  }
}

/** The range end for a key, as etcdctl's --prefix and --from-key give it. */
export function rangeEndFor(key: Buffer, how: 'key' | 'prefix' | 'from-key'): Buffer {
  if (how === 'key') return Buffer.alloc(0);
  // etcd's "every key from here on" is a range end of one zero byte; an empty key's prefix is every key too
  if (how === 'from-key' || key.length === 0) return Buffer.from([0]);
  return prefixRangeEnd(key);
}

/** The range a permission covers, in words (dialogs and the view). */
export function permissionRange(p: Pick<EtcdPermission, 'key' | 'rangeEnd'>, text: (b: Buffer) => string): string {
  if (p.rangeEnd.length === 0) return `the key ${text(p.key)}`;
  if (p.rangeEnd.length === 1 && p.rangeEnd[0] === 0) return p.key.length === 0 ? 'every key' : `every key from ${text(p.key)} on`;
  if (p.key.length > 0 && prefixRangeEnd(p.key).equals(p.rangeEnd)) return `every key starting with ${text(p.key)}`;
  return `the keys from ${text(p.key)} up to ${text(p.rangeEnd)} (exclusive)`;
}

function authWrite<T>(client: EtcdClient, what: string, fn: (etcd: Etcd3) => Promise<T>): Promise<T> {
  return client.write(what, async (etcd) => {
    try {
      return await fn(etcd);
    } catch (e) {
      throw etcdFailure(e, client, what);
    }
  });
}

export function addUser(client: EtcdClient, name: string, password: string): Promise<unknown> {
  if (!name) throw new UndockError('invalid', 'a user needs a name');
  // No password: a user that only TLS client certificates (CN) can log in as, as `--no-password`.
  const req = password ? {name, password} : {name, password: '', options: {no_password: true}};
  return authWrite(client, `adding user ${name}`, (etcd) => etcd.auth.userAdd(req, deadline()));
}

export function deleteUser(client: EtcdClient, name: string): Promise<unknown> {
  return authWrite(client, `deleting user ${name}`, (etcd) => etcd.auth.userDelete({name}, deadline()));
}

export function grantRole(client: EtcdClient, user: string, role: string): Promise<unknown> {
  return authWrite(client, `granting role ${role} to ${user}`, (etcd) => etcd.auth.userGrantRole({user, role}, deadline()));
}

export function revokeRole(client: EtcdClient, name: string, role: string): Promise<unknown> {
  return authWrite(client, `revoking role ${role} from ${name}`, (etcd) => etcd.auth.userRevokeRole({name, role}, deadline()));
}

export function addRole(client: EtcdClient, name: string): Promise<unknown> {
  if (!name) throw new UndockError('invalid', 'a role needs a name');
  return authWrite(client, `adding role ${name}`, (etcd) => etcd.auth.roleAdd({name}, deadline()));
}

export function deleteRole(client: EtcdClient, role: string): Promise<unknown> {
  return authWrite(client, `deleting role ${role}`, (etcd) => etcd.auth.roleDelete({role}, deadline()));
}

export function grantPermission(client: EtcdClient, role: string, p: EtcdPermission): Promise<unknown> {
  return authWrite(client, `granting ${p.type} to role ${role}`, (etcd) =>
    etcd.auth.roleGrantPermission({name: role, perm: {permType: WIRE_TYPES[p.type], key: p.key, range_end: p.rangeEnd}}, deadline()),
  );
}

export function revokePermission(client: EtcdClient, role: string, p: Pick<EtcdPermission, 'key' | 'rangeEnd'>): Promise<unknown> {
  return authWrite(client, `revoking a permission of role ${role}`, (etcd) => etcd.auth.roleRevokePermission({role, key: p.key, range_end: p.rangeEnd}, deadline()));
}

/**
 * Why `auth enable` would fail or lock someone out, asked before it is sent. etcd itself refuses
 * without a root user holding the root role; undock says so with the commands that fix it.
 */
export async function authEnableProblem(client: EtcdClient): Promise<string | undefined> {
  const users = await listUsers(client);
  const root = users.find((u) => u.name === 'root');
  if (!root) return 'there is no root user: etcd needs one before auth can be enabled (press a to add user root, then r to grant it role root)';
  if (!root.roles.includes('root')) return 'user root does not have role root: etcd refuses to enable auth without it (select root, press r, grant role root)';
  return undefined;
}

export function enableAuth(client: EtcdClient): Promise<unknown> {
  return authWrite(client, 'enabling authentication', (etcd) => etcd.auth.authEnable(deadline()));
}

export function disableAuth(client: EtcdClient): Promise<unknown> {
  return authWrite(client, 'disabling authentication', (etcd) => etcd.auth.authDisable(deadline()));
}
