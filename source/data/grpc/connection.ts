import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {UndockError} from '../errors.js';
import {loadProto, lookup} from './loader.js';
import {isReadRpc, rpcName} from './rpc-classes.js';

export interface EndpointInfo {
  /** What the user calls this daemon, e.g. "containerd". */
  label: string;
  /** A unix socket path, a unix:// URL, or host:port. */
  address: string;
  /** How to point undock elsewhere, e.g. "set --address or CONTAINERD_ADDRESS". */
  howToChange: string;
}

export interface CallOptions {
  /** containerd namespace, sent as the containerd-namespace metadata header. */
  namespace?: string;
  deadlineMs?: number;
  /** Cancels the call (the daemon sees the cancellation). */
  signal?: AbortSignal;
}

// containerd sends up to 16 MiB; a thousand containers are already ~8.6 MB.
const MAX_MESSAGE = 64 * 1024 * 1024;
const DEFAULT_DEADLINE_MS = 5_000;

const channelOptions: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE,
  'grpc.max_send_message_length': MAX_MESSAGE,
  // grpc-js's reconnect backoff grows to 120 s by default; a node operator wants it back in seconds.
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 2_000,
  'grpc.enable_retries': 0,
};

export function grpcTarget(address: string): string {
  if (address.startsWith('unix:')) return address;
  if (address.startsWith('/') || address.startsWith('.')) return `unix://${address}`;
  return address;
}

export function socketPath(address: string): string | undefined {
  if (address.startsWith('unix://')) return address.slice('unix://'.length);
  if (address.startsWith('unix:')) return address.slice('unix:'.length);
  if (address.startsWith('/') || address.startsWith('.')) return address;
  return undefined;
}

/** Whether two addresses name the same daemon socket ("/x.sock", "unix:///x.sock", "unix:/x.sock"). */
export function sameSocket(a: string, b: string): boolean {
  const pa = socketPath(a);
  const pb = socketPath(b);
  if (pa !== undefined && pb !== undefined) return path.resolve(pa) === path.resolve(pb);
  return grpcTarget(a) === grpcTarget(b);
}

type AnyClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/** One channel and its service clients, shared by every GrpcConnection on the same socket. */
class SharedChannel {
  private readonly clients = new Map<string, AnyClient>();
  private channel?: grpc.Channel;
  /** The connections that have used it and not closed: the channel closes with the last of them. */
  private readonly users = new Set<GrpcConnection>();

  constructor(readonly address: string) {}

  client(user: GrpcConnection, protoFile: string, service: string): AnyClient {
    this.users.add(user);
    const key = `${protoFile}#${service}`;
    let client = this.clients.get(key);
    if (!client) {
      const Ctor = lookup<grpc.ServiceClientConstructor>(loadProto(protoFile), service);
      const target = grpcTarget(this.address);
      this.channel ??= new grpc.Channel(target, grpc.credentials.createInsecure(), channelOptions);
      client = new Ctor(target, grpc.credentials.createInsecure(), {
        ...channelOptions,
        channelOverride: this.channel,
      }) as unknown as AnyClient;
      this.clients.set(key, client);
    }
    return client;
  }

  release(user: GrpcConnection): void {
    this.users.delete(user);
    if (this.users.size > 0) return;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
    this.channel?.close();
    this.channel = undefined;
  }
}

/**
 * A connection to one daemon, with typed helpers for unary and server-streaming calls. Read-only
 * is deny-by-default: only the RPCs rpc-classes.ts lists as reads are sent.
 */
export class GrpcConnection {
  readonly endpoint: EndpointInfo;
  readonly readonly: boolean;
  private readonly shared: SharedChannel;

  /**
   * `channelOf`: send over that connection's channel (the same socket, another label: CRI served on
   * containerd's socket) instead of opening a second one.
   */
  constructor(endpoint: EndpointInfo, opts: {readonly?: boolean; channelOf?: GrpcConnection} = {}) {
    this.endpoint = endpoint;
    this.readonly = opts.readonly ?? false;
    if (opts.channelOf && !sameSocket(opts.channelOf.endpoint.address, endpoint.address)) {
      throw new Error(`cannot share the channel to ${opts.channelOf.endpoint.address} with ${endpoint.address}`);
    }
    this.shared = opts.channelOf?.shared ?? new SharedChannel(endpoint.address);
  }

  /** Whether both send over the same channel. */
  sharesChannelWith(other: GrpcConnection): boolean {
    return this.shared === other.shared;
  }

  private client(protoFile: string, service: string): AnyClient {
    return this.shared.client(this, protoFile, service);
  }

  private metadata(opts: CallOptions): grpc.Metadata {
    const md = new grpc.Metadata();
    if (opts.namespace) md.set('containerd-namespace', opts.namespace);
    return md;
  }

  /** Deny by default: under --readonly only a classified read is sent. */
  private refuseIfReadonly(service: string, method: string): void {
    if (this.readonly && !isReadRpc(service, method)) {
      throw new UndockError('readonly', `refused ${rpcName(service, method)}: undock runs with --readonly`, 'restart without --readonly to change things');
    }
  }

  async unary<Req, Res>(protoFile: string, service: string, method: string, req: Req, opts: CallOptions = {}): Promise<Res> {
    this.refuseIfReadonly(service, method);
    const client = this.client(protoFile, service);
    // deadlineMs 0: no deadline (a Wait that lasts as long as the process), as for streams.
    const deadline = opts.deadlineMs === 0 ? Infinity : new Date(Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS));
    return new Promise<Res>((resolve, reject) => {
      const fn = client[method];
      if (typeof fn !== 'function') {
        reject(new Error(`${service} has no method ${method}`));
        return;
      }
      opts.signal?.throwIfAborted();
      const call = fn.call(client, req, this.metadata(opts), {deadline}, (err: grpc.ServiceError | null, res: Res) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err.code === grpc.status.CANCELLED && opts.signal?.aborted ? opts.signal.reason : this.mapError(err, method));
        else resolve(res);
      }) as grpc.ClientUnaryCall;
      const onAbort = () => call.cancel();
      opts.signal?.addEventListener('abort', onAbort, {once: true});
    });
  }

  /** A server stream; collects every message unless onMessage is given. */
  async serverStream<Req, Msg>(
    protoFile: string,
    service: string,
    method: string,
    req: Req,
    opts: CallOptions & {onMessage?: (m: Msg) => void} = {},
  ): Promise<Msg[]> {
    this.refuseIfReadonly(service, method);
    const client = this.client(protoFile, service);
    const callOpts: grpc.CallOptions = {};
    if (opts.deadlineMs !== 0) callOpts.deadline = new Date(Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS));
    return new Promise<Msg[]>((resolve, reject) => {
      const fn = client[method];
      if (typeof fn !== 'function') {
        reject(new Error(`${service} has no method ${method}`));
        return;
      }
      const call = fn.call(client, req, this.metadata(opts), callOpts) as grpc.ClientReadableStream<Msg>;
      const out: Msg[] = [];
      const onAbort = () => call.cancel();
      opts.signal?.addEventListener('abort', onAbort, {once: true});
      call.on('data', (m: Msg) => {
        if (opts.onMessage) opts.onMessage(m);
        else out.push(m);
      });
      call.on('error', (err: grpc.ServiceError) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (err.code === grpc.status.CANCELLED && opts.signal?.aborted) resolve(out);
        else reject(this.mapError(err, method));
      });
      call.on('end', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(out);
      });
    });
  }

  mapError(err: grpc.ServiceError, method: string): UndockError {
    const {label, address, howToChange} = this.endpoint;
    const details = err.details || err.message;
    // When containerd's own timer fires first it answers UNKNOWN "context deadline exceeded".
    const code = err.code === grpc.status.UNKNOWN && /context deadline exceeded/.test(details) ? grpc.status.DEADLINE_EXCEEDED : err.code;
    switch (code) {
      case grpc.status.UNAVAILABLE:
        return unreachable(this.endpoint, details);
      case grpc.status.DEADLINE_EXCEEDED:
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

  /** Closes the channel once every connection sharing it has closed; a later call opens it again. */
  close(): void {
    this.shared.release(this);
  }
}

/** Says why a daemon cannot be reached, looking at the socket itself where there is one. */
export function unreachable(endpoint: EndpointInfo, details: string): UndockError {
  const {label, address, howToChange} = endpoint;
  const path = socketPath(address);
  if (path) {
    try {
      fs.statSync(path);
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
    if (/ECONNREFUSED/.test(details)) {
      return new UndockError('unavailable', `${label} not reachable at ${path}: connection refused`, `the socket is there but nothing listens; is ${label} running? ${howToChange}`);
    }
    if (/EACCES/.test(details)) {
      return new UndockError('permission', `permission denied on ${path}`, `run undock as root, or ${howToChange}`);
    }
  }
  return new UndockError('unavailable', `${label} not reachable at ${address}`, `${shorten(details)}; ${howToChange}`);
}

function shorten(s: string): string {
  const line = s.split('\n')[0] ?? '';
  return line.replace(/^No connection established\. Last error: /, '').slice(0, 160);
}
