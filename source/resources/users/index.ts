import {confirm, describeAction} from '../confirm.js';
import type {ActionResult, DataContext, ResourceDef} from '../types.js';
import {UndockError} from '../../data/errors.js';
import {addUser, authEnableProblem, authStatus, deleteUser, disableAuth, enableAuth, grantRole, listUsers, revokeRole, type EtcdUser} from '../../data/etcd/auth.js';

export type UserRow = EtcdUser;

/** The last auth status a load read, for the title. */
export const AUTH_MEMO = 'etcd:auth-status';

export function authNote(ctx: DataContext): string | undefined {
  const s = ctx.memo.get(AUTH_MEMO) as {enabled: boolean} | undefined;
  return s ? `auth ${s.enabled ? 'ENABLED' : 'disabled'}` : undefined;
}

/** Users, and the auth status for the title (read together, so they agree). */
export async function loadUsers(ctx: DataContext): Promise<UserRow[]> {
  const [users] = await Promise.all([listUsers(ctx.etcd), noteAuthStatus(ctx)]);
  return users;
}

/** Reads the auth status for the title; a failure leaves the title without it rather than failing the list. */
export async function noteAuthStatus(ctx: DataContext): Promise<void> {
  try {
    ctx.memo.set(AUTH_MEMO, await authStatus(ctx.etcd));
  } catch {
    ctx.memo.delete(AUTH_MEMO);
  }
}

/** What `auth enable` breaks, said before it is sent. */
export function enableLines(ctx: DataContext): string[] {
  const me = ctx.config.etcdUser?.split(':')[0];
  return [
    'from now on every request needs a user and password (or a TLS client certificate whose CN is a user)',
    'a kube-apiserver started without etcd credentials loses etcd: every Kubernetes API call fails until it is given them',
    'so do other clients without credentials (etcdctl, backups, operators, other undock sessions)',
    me
      ? `this undock connects as ${me}: it keeps working only if ${me} may read what it shows`
      : 'this undock connects without a user: etcd refuses it too; restart it with --user root',
  ];
}

function problem(text: string): ActionResult {
  return {kind: 'status', level: 'error', text};
}

export const users: ResourceDef<UserRow> = {
  id: 'users',
  title: 'Users',
  aliases: ['user'],
  daemon: 'etcd',
  namespaced: false,
  columns: [
    {id: 'name', header: 'NAME', sortKey: 'N', cell: (r) => r.name},
    {id: 'count', header: '#ROLES', align: 'right', cell: (r) => String(r.roles.length), sortValue: (r) => r.roles.length},
    {id: 'roles', header: 'ROLES', grow: true, cell: (r) => r.roles.join(', ') || '-'},
  ],
  defaultSort: {column: 'name'},
  rowKey: (r) => r.name,
  titleNote: authNote,
  load: (ctx) => loadUsers(ctx),
  actions: [
    describeAction((r) => `user ${r.name}`, async (r, {ctx}) => {
      const u = (await listUsers(ctx.etcd)).find((x) => x.name === r.name);
      if (!u) throw new UndockError('not-found', `user ${r.name} no longer exists`);
      return u;
    }),
    {
      id: 'add-user',
      keys: ['a'],
      label: 'add user',
      hint: true,
      dangerous: true,
      noRow: true,
      run: (_r, {ctx}): ActionResult => ({
        kind: 'form',
        title: 'Add an etcd user',
        submitLabel: 'add',
        fields: [
          {id: 'name', label: 'name', value: '', hint: 'root is the user auth enable needs'},
          {id: 'password', label: 'password', value: '', secret: true, hint: 'empty: no password (TLS client certificate CN only)'},
        ],
        submit: async (v) => {
          const name = (v.name ?? '').trim();
          await addUser(ctx.etcd, name, v.password ?? '');
          return {kind: 'status', text: `added user ${name}${v.password ? '' : ' (no password)'}`};
        },
      }),
    },
    {
      id: 'delete-user',
      keys: ['ctrl+d'],
      label: 'delete user',
      hint: true,
      dangerous: true,
      run: (r, {ctx}) =>
        confirm(
          `Delete user ${r.name}?`,
          [`user ${r.name}${r.roles.length ? ` with role(s) ${r.roles.join(', ')}` : ''}`, 'clients logged in as it are refused from their next request'],
          'Delete',
          async () => {
            await deleteUser(ctx.etcd, r.name);
            return `deleted user ${r.name}`;
          },
        ),
    },
    {
      id: 'grant-role',
      keys: ['r'],
      label: 'grant role',
      hint: true,
      dangerous: true,
      run: (r, {ctx}): ActionResult => ({
        kind: 'form',
        title: `Grant a role to ${r.name}`,
        submitLabel: 'grant',
        fields: [{id: 'role', label: 'role', value: '', hint: 'root, or a role from :roles'}],
        submit: async (v) => {
          const role = (v.role ?? '').trim();
          if (!role) throw new UndockError('invalid', 'grant role: no role named');
          await grantRole(ctx.etcd, r.name, role);
          return {kind: 'status', text: `granted role ${role} to ${r.name}`};
        },
      }),
    },
    {
      id: 'revoke-role',
      keys: ['v'],
      label: 'revoke role',
      hint: true,
      dangerous: true,
      disabledReason: (r) => (r.roles.length === 0 ? 'the user has no role' : undefined),
      run: (r, {ctx}): ActionResult => ({
        kind: 'form',
        title: `Revoke a role from ${r.name} (has ${r.roles.join(', ')})`,
        submitLabel: 'revoke…',
        fields: [{id: 'role', label: 'role', value: r.roles.length === 1 ? r.roles[0]! : '', hint: r.roles.join(', ')}],
        submit: async (v) => {
          const role = (v.role ?? '').trim();
          if (!r.roles.includes(role)) throw new UndockError('invalid', `revoke role: ${r.name} has no role ${role || '(empty)'}`, `it has ${r.roles.join(', ')}`);
          return confirm(`Revoke role ${role} from ${r.name}?`, [`${r.name} loses what role ${role} grants`], 'Revoke', async () => {
            await revokeRole(ctx.etcd, r.name, role);
            return `revoked role ${role} from ${r.name}`;
          });
        },
      }),
    },
    {
      id: 'auth-enable',
      keys: ['e'],
      label: 'auth enable',
      dangerous: true,
      noRow: true,
      run: async (_r, {ctx}): Promise<ActionResult> => {
        if ((await authStatus(ctx.etcd)).enabled) return {kind: 'status', text: 'authentication is enabled already'};
        const why = await authEnableProblem(ctx.etcd);
        if (why) return problem(`auth enable refused: ${why}`);
        return confirm('Enable etcd authentication?', enableLines(ctx), 'Enable auth', async () => {
          await enableAuth(ctx.etcd);
          return 'authentication enabled: clients need credentials now';
        });
      },
    },
    {
      id: 'auth-disable',
      keys: ['x'],
      label: 'auth disable',
      dangerous: true,
      noRow: true,
      run: async (_r, {ctx}): Promise<ActionResult> => {
        if (!(await authStatus(ctx.etcd)).enabled) return {kind: 'status', text: 'authentication is disabled already'};
        return confirm('Disable etcd authentication?', ['every client may then read and write every key, without a user', 'users and roles are kept for when it is enabled again'], 'Disable auth', async () => {
          await disableAuth(ctx.etcd);
          return 'authentication disabled: every client has full access';
        });
      },
    },
  ],
};
