import fs from 'node:fs';
import {createRequire} from 'node:module';
import type {Etcd3, IOptions} from 'etcd3';
import {etcd3Module} from './etcd3-module.js';
import {UndockError} from '../errors.js';
import {describeEtcdError} from './failure.js';
import {readsOf, type EtcdReads} from './reads.js';

/** TLS files and credentials, as etcdctl takes them (--cacert, --cert, --key, --user). */
export interface EtcdSecurity {
  cacert?: string;
  cert?: string;
  key?: string;
  user?: {name: string; password: string};
}

export interface EtcdVersion {
  server: string;
  cluster: string;
  endpoint: string;
  revision?: string;
  leader?: string;
}

const MAX_MESSAGE = 64 * 1024 * 1024;
const nodeRequire = createRequire(import.meta.url);

/** Accepts "127.0.0.1:2379", "http://host:port" or "https://host:port"; returns URLs. */
export function normalizeEndpoints(endpoints: string[]): string[] {
  return endpoints
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => (/^[a-z]+:\/\//.test(e) ? e : `http://${e}`));
}

/** Why a request failed, in a word or two: ECONNREFUSED, no answer, a TLS error, HTTP 401. */
function requestFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException & {errors?: Array<{code?: string}>};
  if (err.code === 'ESILENT') return 'it accepted the connection but never answered';
  if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT') return 'no answer';
  const code = err.code ?? err.errors?.[0]?.code;
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS error ${code}: check --cacert/--cert/--key`;
  return code ?? err.message;
}

function readFile(path: string | undefined, what: string): Buffer | undefined {
  if (!path) return undefined;
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new UndockError('invalid', `cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * GET a small JSON document from an etcd client URL, with the same TLS files as the gRPC client.
 * node:http and node:https are loaded here, not at start: compiling them was 5% of a start.
 */
function getJson(url: string, security: EtcdSecurity, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    // require, not import(): the app runs as a vm.Script, which has no loader for import().
    const lib = (u.protocol === 'https:' ? nodeRequire('node:https') : nodeRequire('node:http')) as typeof import('node:http');
    const req = lib.get(
      u,
      {
        timeout: timeoutMs,
        ...(u.protocol === 'https:'
          ? {ca: readFile(security.cacert, 'CA file'), cert: readFile(security.cert, 'certificate'), key: readFile(security.key, 'key')}
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400) reject(Object.assign(new Error(`HTTP ${res.statusCode}`), {code: `HTTP ${res.statusCode}`}));
          else {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (e) {
              reject(e);
            }
          }
        });
      },
    );
    // Connected and then nothing: a hung daemon or a server that is not etcd, not a missing one.
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), {code: req.socket && !req.socket.connecting ? 'ESILENT' : 'ETIMEDOUT'})));
    req.on('error', reject);
  });
}

/**
 * etcd access over etcd3, plus the version probe etcdctl and the header need. The etcd3 client is
 * private: reads go through `reads`, and every write through `write`, which refuses under --readonly.
 */
export class EtcdClient {
  readonly endpoints: string[];
  readonly readonly: boolean;
  readonly security: EtcdSecurity;
  #raw?: Etcd3;
  #reads?: EtcdReads;
  #lastCause?: string;
  readonly #failureListeners = new Set<(e: UndockError) => void>();
  readonly #alarmListeners = new Set<() => void>();

  constructor(endpoints: string[], opts: {readonly?: boolean; security?: EtcdSecurity} = {}) {
    this.endpoints = normalizeEndpoints(endpoints);
    this.readonly = opts.readonly ?? false;
    this.security = opts.security ?? {};
  }

  #client(): Etcd3 {
    if (!this.#raw) {
      this.#raw = this.#connect(this.endpoints);
      this.#reads = readsOf(this.#raw);
    }
    return this.#raw;
  }

  /** Loads etcd3's modules without connecting: their 15-30 ms are spent when asked, not in the first call. */
  async preload(): Promise<void> {
    etcd3Module();
  }

  /** The read surface of the current etcd3 client; a holder keeps it (and sees it fail) after close(). */
  get reads(): EtcdReads {
    this.#client();
    return this.#reads!;
  }

  /**
   * The one way to write: `fn` gets the etcd3 client, unless this client is read-only, in which
   * case it is refused before `fn` runs. `what` names the write for the refusal ("deleting /a").
   */
  async write<T>(what: string, fn: (raw: Etcd3) => Promise<T>): Promise<T> {
    if (this.readonly) {
      throw new UndockError('readonly', `refused ${what}: undock runs with --readonly`, 'restart without --readonly to change things');
    }
    return fn(this.#client());
  }

  /** Why the last call through this client failed, in a few words (etcd3's circuit breaker hides it afterwards). */
  get lastCause(): string | undefined {
    return this.#lastCause;
  }

  /** Called by the etcd layer for every failed call (etcdFailure); the cause is undefined when the breaker refused it. */
  noteFailure(e: UndockError, cause?: string): void {
    if (cause) this.#lastCause = cause;
    if (e.kind === 'unavailable' || e.kind === 'deadline' || e.kind === 'unauthenticated') for (const l of this.#failureListeners) l(e);
    // A write refused for an alarm: whoever shows alarms looks now rather than at its next poll.
    if (/database space exceeded|corrupt/i.test(e.message)) this.alarmsChanged();
  }

  /** Tells whoever shows alarms to look again now (a write refused for space, an alarm disarmed). */
  alarmsChanged(): void {
    for (const l of this.#alarmListeners) l();
  }

  /** Calls `listener` when alarms may have changed: a call failed for space or corruption, or one was disarmed. */
  onAlarmHint(listener: () => void): () => void {
    this.#alarmListeners.add(listener);
    return () => this.#alarmListeners.delete(listener);
  }

  /** Calls `listener` whenever a call or the watch shows etcd is not serving (unreachable, silent, or refusing the user). */
  onFailure(listener: (e: UndockError) => void): () => void {
    this.#failureListeners.add(listener);
    return () => this.#failureListeners.delete(listener);
  }

  /** Reads at one endpoint only (a member's own status and health), on a client of its own closed after `fn`. */
  async atEndpoint<T>(endpoint: string, fn: (reads: EtcdReads) => Promise<T>): Promise<T> {
    const etcd = this.#connect(normalizeEndpoints([endpoint]));
    try {
      return await fn(readsOf(etcd));
    } finally {
      etcd.close();
    }
  }

  /**
   * A write to one member only (defragment, move leader): refused under --readonly before a
   * connection is even made, then `fn` gets a client of that endpoint alone, closed after it.
   */
  async writeAt<T>(endpoint: string, what: string, fn: (raw: Etcd3) => Promise<T>): Promise<T> {
    if (this.readonly) {
      throw new UndockError('readonly', `refused ${what}: undock runs with --readonly`, 'restart without --readonly to change things');
    }
    const etcd = this.#connect(normalizeEndpoints([endpoint]));
    try {
      return await fn(etcd);
    } finally {
      etcd.close();
    }
  }

  #connect(hosts: string[]): Etcd3 {
    const {cacert, cert, key, user} = this.security;
    const tls: Partial<IOptions> =
      cacert || cert || key
        ? {credentials: {rootCertificate: readFile(cacert, 'CA file')!, privateKey: readFile(key, 'key'), certChain: readFile(cert, 'certificate')}}
        : {};
    return new (etcd3Module().Etcd3)({
      hosts,
      ...tls,
      ...(user ? {auth: {username: user.name, password: user.password}} : {}),
      dialTimeout: 3_000,
      grpcOptions: {
        'grpc.max_receive_message_length': MAX_MESSAGE,
        'grpc.initial_reconnect_backoff_ms': 250,
        'grpc.max_reconnect_backoff_ms': 2_000,
        'grpc.enable_channelz': 0, // as for containerd (data/grpc/connection.ts)
      },
    });
  }

  /** Server and cluster version of the first endpoint that answers, as `etcd --version` and `/version` report. */
  async version(timeoutMs = 3_000): Promise<EtcdVersion> {
    const errors: string[] = [];
    for (const endpoint of this.endpoints) {
      try {
        const body = (await getJson(new URL('/version', endpoint).toString(), this.security, timeoutMs)) as {etcdserver?: string; etcdcluster?: string};
        // Leader and revision for the header; a cluster without quorum still answers /version.
        const status = await Promise.race([
          this.reads.status(),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref()),
        ]).catch((err: unknown) => {
          // /version needs no password: a wrong one shows only here, and must not pass for "no leader".
          const failure = err instanceof Error ? describeEtcdError(err, this, 'reading its status') : undefined;
          if (failure?.kind === 'unauthenticated') throw failure;
          return undefined;
        });
        return {
          server: body.etcdserver ?? '?',
          cluster: body.etcdcluster ?? '?',
          endpoint,
          revision: status?.header.revision,
          leader: status ? BigInt(status.leader).toString(16) : undefined,
        };
      } catch (e) {
        if (e instanceof UndockError) throw e;
        errors.push(this.endpoints.length > 1 ? `${endpoint}: ${requestFailure(e)}` : requestFailure(e));
      }
    }
    throw new UndockError(
      'unavailable',
      `etcd not reachable at ${this.endpoints.join(',')}: ${errors.join('; ')}`,
      'set --etcd-endpoints or ETCDCTL_ENDPOINTS',
    );
  }

  close(): void {
    this.#raw?.close();
    this.#raw = undefined;
    this.#reads = undefined;
  }
}
