// ssh://[user@]host[:port][/path/to/containerd.sock], as docker's and nerdctl's ssh:// hosts.
import {UndockError} from '../errors.js';

export const REMOTE_DEFAULT_SOCKET = '/run/containerd/containerd.sock';

export interface SshAddress {
  user?: string;
  host: string;
  port?: number;
  /** The socket on the node. */
  socket: string;
}

export function isSshAddress(address: string): boolean {
  return address.startsWith('ssh://');
}

// A host or user that starts with "-" would be read by ssh as an option.
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function parseSshAddress(address: string): SshAddress {
  const bad = (why: string) => new UndockError('invalid', `${JSON.stringify(address)} is not an ssh:// address: ${why}`, 'write ssh://[user@]host[:port][/path/to/containerd.sock]');
  if (!isSshAddress(address)) throw bad('it does not start with ssh://');
  const rest = address.slice('ssh://'.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const socket = slash < 0 || slash === rest.length - 1 ? REMOTE_DEFAULT_SOCKET : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  let hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let port: number | undefined;
  const portMatch = /^(.*):(\d+)$/.exec(hostPort);
  if (portMatch && !/^\[[^\]]*$/.test(portMatch[1]!)) {
    hostPort = portMatch[1]!;
    port = Number(portMatch[2]);
    if (port < 1 || port > 65535) throw bad(`port ${portMatch[2]} is out of range`);
  }
  if (!hostPort) throw bad('it names no host');
  if (!HOST.test(hostPort)) throw bad(`"${hostPort}" is not a host name`);
  if (user !== undefined && !USER.test(user)) throw bad(`"${user}" is not a user name`);
  if (/[\s\u0000-\u001f]/.test(socket)) throw bad('the socket path holds a space or control character');
  return {user, host: hostPort.replace(/^\[|\]$/g, ''), port, socket};
}

/** ssh's own arguments to reach the host: port and user as options, never in the destination. */
export function sshTarget(a: SshAddress): string[] {
  return [...(a.port ? ['-p', String(a.port)] : []), ...(a.user ? ['-l', a.user] : []), '--', a.host];
}

export function shownTarget(a: SshAddress): string {
  return `${a.user ? `${a.user}@` : ''}${a.host}${a.port ? `:${a.port}` : ''}`;
}
