import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {UndockError} from '../errors.js';
import {mapGrpcError, neverAnswered, socketPath, unreachable, type EndpointInfo} from './grpc-errors.js';
import {loadProto, lookup} from './loader.js';
import {isReadRpc, rpcName} from './rpc-classes.js';

export type {EndpointInfo};
export {socketPath, unreachable};

export interface CallOptions {
  /** containerd namespace, sent as the containerd-namespace metadata header. */
  namespace?: string;
  deadlineMs?: number;
  /** Cancels the call (the daemon sees the cancellation). */
  signal?: AbortSignal;
  /** containerd lease, sent as the containerd-lease header: what the call makes is held by it. */
  lease?: string;
}

/** A bidirectional stream where the daemon answers every request with one response (Content.Write). */
export interface Exchange<Req, Res> {
  send(req: Req): Promise<Res>;
  end(): void;
  cancel(): void;
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
  // channelz (grpc-js's introspection for servers and admin tools) traces every call and connection
  // of a channel when on, its default; nothing here serves or reads it.
  'grpc.enable_channelz': 0,
};

export function grpcTarget(address: string): string {
  if (address.startsWith('unix:')) return address;
  if (address.startsWith('/') || address.startsWith('.')) return `unix://${address}`;
  return address;
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
  /** Every connection over it, each with its own label: when the socket fails, it fails for all of them. */
  readonly members = new Set<GrpcConnection>();

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
  private readonly failureListeners = new Set<(e: UndockError) => void>();

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
    this.shared = opts.channelOf?.shared ?? new SharedChannel(endpoint.dial ?? endpoint.address);
    this.shared.members.add(this);
  }

  /**
   * Calls `listener` whenever a call shows the daemon is not serving: unreachable or silent (for
   * every connection on the socket: CRI on containerd's is down when containerd is), or a deadline
   * missed (for this connection). The header marks the daemon down at once instead of at the next probe.
   */
  onFailure(listener: (e: UndockError) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  private failed(err: grpc.ServiceError, mapped: UndockError, method: string): UndockError {
    const socketDown = mapped.kind === 'unavailable' && err.code === grpc.status.UNAVAILABLE;
    const targets = socketDown || neverAnswered(err.details ?? '') ? [...this.shared.members] : mapped.kind === 'deadline' ? [this] : [];
    for (const conn of targets) {
      const e = conn === this ? mapped : conn.mapError(err, method);
      for (const l of conn.failureListeners) l(e);
    }
    return mapped;
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
    if (opts.lease) md.set('containerd-lease', opts.lease);
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
        if (err) reject(err.code === grpc.status.CANCELLED && opts.signal?.aborted ? opts.signal.reason : this.failed(err, this.mapError(err, method), method));
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
        else reject(this.failed(err, this.mapError(err, method), method));
      });
      call.on('end', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(out);
      });
    });
  }

  /** A bidirectional stream used as request/response pairs, in order. No deadline: the caller ends it. */
  exchange<Req, Res>(protoFile: string, service: string, method: string, opts: CallOptions = {}): Exchange<Req, Res> {
    this.refuseIfReadonly(service, method);
    const client = this.client(protoFile, service);
    const fn = client[method];
    if (typeof fn !== 'function') throw new Error(`${service} has no method ${method}`);
    const call = fn.call(client, this.metadata(opts), {}) as grpc.ClientDuplexStream<Req, Res>;
    const waiting: Array<{resolve: (r: Res) => void; reject: (e: unknown) => void}> = [];
    let failure: unknown;
    call.on('data', (m: Res) => waiting.shift()?.resolve(m));
    call.on('error', (err: grpc.ServiceError) => {
      failure = err.code === grpc.status.CANCELLED ? new UndockError('unknown', `${rpcName(service, method)} cancelled`) : this.failed(err, this.mapError(err, method), method);
      for (const w of waiting.splice(0)) w.reject(failure);
    });
    call.on('end', () => {
      failure ??= new UndockError('unavailable', `${rpcName(service, method)}: the stream ended early`);
      for (const w of waiting.splice(0)) w.reject(failure);
    });
    return {
      send: (req) =>
        new Promise<Res>((resolve, reject) => {
          if (failure) return reject(failure);
          waiting.push({resolve, reject});
          call.write(req);
        }),
      end: () => call.end(),
      cancel: () => call.cancel(),
    };
  }

  mapError(err: grpc.ServiceError, method: string): UndockError {
    return mapGrpcError(this.endpoint, err, method);
  }

  /** Closes the channel once every connection sharing it has closed; a later call opens it again. */
  close(): void {
    this.shared.release(this);
  }
}
