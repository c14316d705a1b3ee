import {confirm, describeAction} from '../confirm.js';
import {keyText} from '../leases/index.js';
import type {ActionResult, ResourceDef} from '../types.js';
import {UndockError} from '../../data/errors.js';
import {addRole, deleteRole, getRole, listRoles, listUsers, permissionRange, type EtcdRole} from '../../data/etcd/auth.js';
import {authNote, noteAuthStatus} from '../users/index.js';

export type RoleRow = EtcdRole;

/** "readwrite every key starting with /registry/" for each permission, joined. */
export function permissionsSummary(r: RoleRow): string {
  if (r.name === 'root') return 'everything (the root role)';
  return r.permissions.map((p) => `${p.type} ${permissionRange(p, keyText)}`).join('; ') || '-';
}

export const roles: ResourceDef<RoleRow> = {
  id: 'roles',
  title: 'Roles',
  aliases: ['role'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
    {id: 'count', header: '#PERMS', align: 'right', cell: (r) => String(r.permissions.length), sortValue: (r) => r.permissions.length},
    {id: 'perms', header: 'PERMISSIONS', grow: true, cell: permissionsSummary},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.name,
  titleNote: authNote,
  load: async (ctx) => {
    const [found] = await Promise.all([listRoles(ctx.etcd), noteAuthStatus(ctx)]);
    return found;
  },
  actions: [
    {
      id: 'permissions',
      keys: ['enter'],
      label: 'permissions',
      hint: true,
      run: (r) => ({kind: 'push', resource: 'role-permissions', params: {role: r.name}, crumb: r.name}),
    },
    describeAction((r) => `role ${r.name}`, async (r, {ctx}) => {
      const role = await getRole(ctx.etcd, r.name);
      return {name: role.name, permissions: role.permissions.map((p) => ({type: p.type, key: keyText(p.key), rangeEnd: keyText(p.rangeEnd), covers: permissionRange(p, keyText)}))};
    }),
    {
      id: 'add-role',
      keys: ['a'],
      label: 'add role',
      hint: true,
      dangerous: true,
      noRow: true,
      run: (_r, {ctx}): ActionResult => ({
        kind: 'form',
        title: 'Add an etcd role (then enter on it to grant permissions)',
        submitLabel: 'add',
        fields: [{id: 'name', label: 'name', value: ''}],
        submit: async (v) => {
          const name = (v.name ?? '').trim();
          if (!name) throw new UndockError('invalid', 'add role: no name given');
          await addRole(ctx.etcd, name);
          return {kind: 'status', text: `added role ${name}`};
        },
      }),
    },
    {
      id: 'delete-role',
      keys: ['ctrl+d'],
      label: 'delete role',
      hint: true,
      dangerous: true,
      run: async (r, {ctx}) => {
        // Who loses it, asked now: etcd revokes a deleted role from every user that has it.
        const holders = (await listUsers(ctx.etcd)).filter((u) => u.roles.includes(r.name)).map((u) => u.name);
        return confirm(
          `Delete role ${r.name}?`,
          [`role ${r.name}: ${permissionsSummary(r)}`, holders.length ? `taken from user(s) ${holders.join(', ')}` : 'no user has it'],
          'Delete',
          async () => {
            await deleteRole(ctx.etcd, r.name);
            return `deleted role ${r.name}`;
          },
        );
      },
    },
  ],
};
