import {confirm} from '../confirm.js';
import {keyText} from '../leases/index.js';
import type {ActionResult, ResourceDef} from '../types.js';
import {UndockError} from '../../data/errors.js';
import {getRole, grantPermission, permissionRange, rangeEndFor, revokePermission, type EtcdPermission, type PermissionType} from '../../data/etcd/auth.js';

export interface PermissionRow extends EtcdPermission {
  role: string;
}

const TYPES: PermissionType[] = ['read', 'write', 'readwrite'];
const MATCHES = ['key', 'prefix', 'from-key', 'range'] as const;

/** The permission a grant form describes, checked: etcdctl's `role grant-permission [--prefix|--from-key] ROLE TYPE KEY [END]`. */
export function permissionFromForm(v: Record<string, string>): EtcdPermission {
  const type = (v.type ?? '').trim() as PermissionType;
  if (!TYPES.includes(type)) throw new UndockError('invalid', `grant: permission type must be ${TYPES.join(', ')}, not ${type || '(empty)'}`);
  const match = (v.match ?? '').trim() as (typeof MATCHES)[number];
  if (!MATCHES.includes(match)) throw new UndockError('invalid', `grant: match must be ${MATCHES.join(', ')}, not ${match || '(empty)'}`);
  const key = Buffer.from(v.key ?? '', 'utf8');
  if (key.length === 0 && match !== 'prefix' && match !== 'from-key') throw new UndockError('invalid', 'grant: no key given', 'an empty key only works with prefix or from-key (every key)');
  if (match === 'range') {
    const end = Buffer.from(v.end ?? '', 'utf8');
    if (end.length === 0 || Buffer.compare(end, key) <= 0) throw new UndockError('invalid', 'grant: the range end must come after the key', 'or choose key, prefix or from-key');
    return {type, key, rangeEnd: end};
  }
  return {type, key, rangeEnd: rangeEndFor(key, match)};
}

export const rolePermissions: ResourceDef<PermissionRow> = {
  id: 'role-permissions',
  title: 'Permissions',
  aliases: [],
  daemon: 'etcd',
  namespaced: false,
  nested: true,
  viewTitle: (p) => `Permissions(role ${p.role})`,
  columns: [
    {id: 'type', header: 'TYPE', sortKey: 'T', cell: (r) => r.type},
    {id: 'key', header: 'KEY', sortKey: 'K', cut: 'middle', cell: (r) => keyText(r.key)},
    {id: 'end', header: 'RANGE END', cut: 'middle', cell: (r) => (r.rangeEnd.length ? keyText(r.rangeEnd) : '-')},
    {id: 'covers', header: 'COVERS', grow: true, cell: (r) => permissionRange(r, keyText)},
  ],
  defaultSort: {column: 'key'},
  rowKey: (r) => `${r.type} ${r.key.toString('hex')} ${r.rangeEnd.toString('hex')}`,
  load: async (ctx, scope) => {
    const role = await getRole(ctx.etcd, scope.params.role ?? '');
    return role.permissions.map((p) => ({...p, role: role.name}));
  },
  actions: [
    {
      id: 'grant-permission',
      keys: ['a'],
      label: 'grant permission',
      hint: true,
      dangerous: true,
      noRow: true,
      run: (_r, {ctx, scope}): ActionResult => {
        const role = scope.params.role ?? '';
        return {
          kind: 'form',
          title: `Grant a permission to role ${role}`,
          submitLabel: 'grant',
          fields: [
            {id: 'type', label: 'type', value: 'read', hint: 'read, write or readwrite'},
            {id: 'key', label: 'key', value: '', hint: 'e.g. /registry/'},
            {id: 'match', label: 'match', value: 'prefix', hint: 'key (it alone), prefix, from-key (it and every key after), range'},
            {id: 'end', label: 'range end', value: '', hint: 'only for match range: the end, exclusive'},
          ],
          submit: async (v) => {
            const p = permissionFromForm(v);
            await grantPermission(ctx.etcd, role, p);
            return {kind: 'status', text: `granted ${p.type} on ${permissionRange(p, keyText)} to role ${role}`};
          },
        };
      },
    },
    {
      id: 'revoke-permission',
      keys: ['ctrl+d'],
      label: 'revoke permission',
      hint: true,
      dangerous: true,
      run: (r, {ctx}) =>
        confirm(`Revoke a permission of role ${r.role}?`, [`${r.type} on ${permissionRange(r, keyText)}`, `users with role ${r.role} lose it at their next request`], 'Revoke', async () => {
          await revokePermission(ctx.etcd, r.role, r);
          return `revoked ${r.type} on ${permissionRange(r, keyText)} from role ${r.role}`;
        }),
    },
  ],
};
