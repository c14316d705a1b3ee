import {Etcd3} from 'etcd3';
import {UndockError} from '../errors.js';

export interface EtcdVersion {
  server: string;
  cluster: string;
  endpoint: string;
  revision?: string;
  leader?: string;
}

const MAX_MESSAGE = 64 * 1024 * 1024;

/** Accepts "127.0.0.1:2379", "http://host:port" or "https://host:port"; returns URLs. */
export function normalizeEndpoints(endpoints: string[]): string[] {
  return endpoints
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => (/^[a-z]+:\/\//.test(e) ? e : `http://${e}`));
}

/** Why a fetch failed, in a word or two: ECONNREFUSED, no answer, HTTP 404. */
function fetchFailure(e: unknown): string {
  const err = e as Error & {cause?: {code?: string; message?: string; errors?: Array<{code?: string}>}};
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer';
  const cause = err.cause;
  return cause?.code ?? cause?.errors?.[0]?.code ?? cause?.message ?? err.message;
}

/** etcd access: a client over etcd3, plus the version probe etcdctl and the header need. */
export class EtcdClient {
  readonly endpoints: string[];
  readonly readonly: boolean;
  private client?: Etcd3;

  constructor(endpoints: string[], opts: {readonly?: boolean} = {}) {
    this.endpoints = normalizeEndpoints(endpoints);
    this.readonly = opts.readonly ?? false;
  }

  get etcd(): Etcd3 {
    this.client ??= this.connect(this.endpoints);
    return this.client;
  }

  /** A separate client bound to one endpoint (per-member status and health), with the same options; the caller closes it. */
  endpointClient(endpoint: string): Etcd3 {
    return this.connect(normalizeEndpoints([endpoint]));
  }

  private connect(hosts: string[]): Etcd3 {
    return new Etcd3({
      hosts,
      dialTimeout: 3_000,
      grpcOptions: {
        'grpc.max_receive_message_length': MAX_MESSAGE,
        'grpc.initial_reconnect_backoff_ms': 250,
        'grpc.max_reconnect_backoff_ms': 2_000,
      },
    });
  }

  /** Server and cluster version of the first endpoint that answers, as `etcd --version` and `/version` report. */
  async version(timeoutMs = 3_000): Promise<EtcdVersion> {
    const errors: string[] = [];
    for (const endpoint of this.endpoints) {
      try {
        const res = await fetch(new URL('/version', endpoint), {signal: AbortSignal.timeout(timeoutMs)});
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as {etcdserver?: string; etcdcluster?: string};
        return {server: body.etcdserver ?? '?', cluster: body.etcdcluster ?? '?', endpoint};
      } catch (e) {
        errors.push(this.endpoints.length > 1 ? `${endpoint}: ${fetchFailure(e)}` : fetchFailure(e));
      }
    }
    throw new UndockError(
      'unavailable',
      `etcd not reachable at ${this.endpoints.join(',')}: ${errors.join('; ')}`,
      'set --etcd-endpoints or ETCDCTL_ENDPOINTS',
    );
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}
