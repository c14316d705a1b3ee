// What a failed gRPC call means for the user: one line naming the daemon and its address, and the fix.
import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {UndockError} from '../errors.js';

export interface EndpointInfo {
  /** What the user calls this daemon, e.g. "containerd". */
  label: string;
  /** A unix socket path, a unix:// URL, or host:port. */
  address: string;
  /** How to point undock elsewhere, e.g. "set --address or CONTAINERD_ADDRESS". */
  howToChange: string;
  /** Where the channel really dials when `address` is reached through a forward (an ssh:// node's local socket). */
  dial?: string;
  /** Why the forward is down (ssh's own message and the fix), when it is. */
  whyDown?: () => string | undefined;
}

export function socketPath(address: string): string | undefined {
  if (address.startsWith('unix://')) return address.slice('unix://'.length);
  if (address.startsWith('unix:')) return address.slice('unix:'.length);
  if (address.startsWith('/') || address.startsWith('.')) return address;
  return undefined;
}

/**
 * A deadline that passed while the call still waited for a connection: the endpoint accepted the
 * connection (or is still being dialled) but never completed gRPC's handshake. grpc-js says where
 * the call was waiting ("Waiting for LB pick", "waiting for name resolution").
 */
export function neverAnswered(details: string): boolean {
  return /waiting for (LB pick|name resolution|connection)/i.test(details);
}

/** grpc-js's cause without its wrapping ("No connection established. Last error: ", "Resolution note: ", a `null` cause). */
export function grpcCause(details: string): string {
  const cause = (details.split('\n')[0] ?? '')
    .replace(/^No connection established\. Last error: /, '')
    .replace(/^Error: /, '')
    .replace(/\s*\(\d{4}-\d\d-\d\dT[\d:.]+Z\)/, '')
    .replace(/\s*Resolution note:.*$/, '')
    .trim()
    .replace(/\.$/, '');
  return cause === 'null' || cause === 'undefined' ? '' : cause.slice(0, 160);
}

/** Maps a gRPC failure to the user's terms for this endpoint. */
export function mapGrpcError(endpoint: EndpointInfo, err: grpc.ServiceError, method: string): UndockError {
  const {label, address, howToChange} = endpoint;
  const details = err.details || err.message;
  // When containerd's own timer fires first it answers UNKNOWN "context deadline exceeded".
  const code = err.code === grpc.status.UNKNOWN && /context deadline exceeded/.test(details) ? grpc.status.DEADLINE_EXCEEDED : err.code;
  switch (code) {
    case grpc.status.UNAVAILABLE: {
      const forward = endpoint.whyDown?.();
      return forward ? new UndockError('unavailable', `${label} at ${address} is not reachable: ${forward}`) : unreachable(endpoint, details);
    }
    case grpc.status.DEADLINE_EXCEEDED:
      if (neverAnswered(details)) return silent(endpoint);
      return new UndockError('deadline', `${label} at ${address} did not answer ${method} in time`, 'is it overloaded or hung?');
    case grpc.status.PERMISSION_DENIED:
      return new UndockError('permission', `${label} refused ${method}: ${details}`);
    case grpc.status.UNAUTHENTICATED:
      return new UndockError('unauthenticated', `${label} refused ${method}: ${details}`);
    case grpc.status.NOT_FOUND:
      return new UndockError('not-found', details);
    case grpc.status.UNIMPLEMENTED:
      return new UndockError('unavailable', `${label} at ${address} does not serve ${method}`, `is this the right socket? ${howToChange}`);
    case grpc.status.INVALID_ARGUMENT:
    case grpc.status.FAILED_PRECONDITION:
    case grpc.status.ALREADY_EXISTS:
      return new UndockError('invalid', details);
    default:
      return new UndockError('unknown', `${label} ${method} failed: ${details}`);
  }
}

/** An endpoint that takes the connection and then says nothing (a hung daemon, or a server that is not gRPC). */
export function silent(endpoint: EndpointInfo): UndockError {
  const {label, address, howToChange} = endpoint;
  return new UndockError('deadline', `${label} at ${address} accepted the connection but never answered`, `is it hung, or not ${label}? ${howToChange}`);
}

function kindOfFile(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a regular file';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a device';
}

/** Says why a daemon cannot be reached, looking at the socket itself where there is one. */
export function unreachable(endpoint: EndpointInfo, details: string): UndockError {
  const {label, address, howToChange} = endpoint;
  const path = socketPath(address);
  if (path) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(path);
      fs.accessSync(path, fs.constants.R_OK | fs.constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return new UndockError('unavailable', `${label} not reachable at ${path}: no such socket`, `is it running? ${howToChange}`);
      }
      if (code === 'EACCES' || code === 'EPERM') {
        return new UndockError('permission', `permission denied on ${path}`, `run undock as root (or a user in the socket's group), or ${howToChange}`);
      }
    }
    if (st && !st.isSocket()) {
      return new UndockError('unavailable', `${label} not reachable at ${path}: it is ${kindOfFile(st)}, not a socket`, `point undock at ${label}'s socket: ${howToChange}`);
    }
    if (/ECONNREFUSED/.test(details)) {
      return new UndockError('unavailable', `${label} not reachable at ${path}: connection refused`, `the socket is there but nothing listens; is ${label} running? ${howToChange}`);
    }
    if (/EACCES/.test(details)) {
      return new UndockError('permission', `permission denied on ${path}`, `run undock as root, or ${howToChange}`);
    }
  }
  if (/Protocol error/i.test(details)) {
    return new UndockError('unavailable', `${label} at ${address} does not speak gRPC`, `something else listens there; is this ${label}'s socket? ${howToChange}`);
  }
  const cause = grpcCause(details);
  return new UndockError('unavailable', `${label} not reachable at ${address}${cause ? `: ${cause}` : ''}`, `is it running? ${howToChange}`);
}
