import {UndockError} from '../errors.js';
import {normalizeEndpoints} from './client.js';

/** A node of etcd's v2 keyspace, as GET /v2/keys returns it. */
export interface V2Node {
  key: string;
  dir: boolean;
  value?: string;
  /** seconds left, for keys with a TTL */
  ttl?: number;
  expiration?: string;
  createdIndex?: number;
  modifiedIndex?: number;
  /** children, for a directory (all levels when listed recursively) */
  nodes?: V2Node[];
}

const DEADLINE_MS = 5_000;
const NO_V2 = 'etcd 3.4 serves the v2 API only when started with --enable-v2';

function keysUrl(endpoint: string, dir: string, query: Record<string, string>): URL {
  const base = normalizeEndpoints([endpoint])[0];
  if (!base) throw new UndockError('invalid', 'no etcd endpoint given', 'set --etcd-endpoints or ETCDCTL_ENDPOINTS');
  const path = dir
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s))
    .join('/');
  const url = new URL(`/v2/keys/${path}`, base);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

async function get(url: URL, endpoint: string, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {signal: AbortSignal.timeout(timeoutMs)});
  } catch (e) {
    const err = e as Error & {cause?: {code?: string}};
    const why = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'no answer' : (err.cause?.code ?? err.message);
    throw new UndockError('unavailable', `etcd not reachable at ${endpoint}: ${why}`, 'is it running? set --etcd-endpoints or ETCDCTL_ENDPOINTS');
  }
}

/** Does this endpoint serve the v2 keys API? (3.4 answers a plain-text 404 without --enable-v2.) */
export async function v2Available(endpoint: string, timeoutMs = DEADLINE_MS): Promise<boolean> {
  const res = await get(keysUrl(endpoint, '/', {}), endpoint, timeoutMs);
  const body = await res.text();
  if (res.ok) return true;
  return /^\s*\{/.test(body) && res.headers.get('content-type')?.includes('json') === true;
}

function toNode(raw: Record<string, unknown>): V2Node {
  const node: V2Node = {key: typeof raw.key === 'string' ? raw.key : '/', dir: raw.dir === true};
  if (typeof raw.value === 'string') node.value = raw.value;
  if (typeof raw.ttl === 'number') node.ttl = raw.ttl;
  if (typeof raw.expiration === 'string') node.expiration = raw.expiration;
  if (typeof raw.createdIndex === 'number') node.createdIndex = raw.createdIndex;
  if (typeof raw.modifiedIndex === 'number') node.modifiedIndex = raw.modifiedIndex;
  if (Array.isArray(raw.nodes)) node.nodes = raw.nodes.map((n) => toNode(n as Record<string, unknown>));
  else if (node.dir) node.nodes = [];
  return node;
}

/**
 * Lists a v2 directory (or reads one v2 key) with GET /v2/keys/<dir>, sorted, all levels when
 * `recursive`. Read-only: undock never writes v2 keys.
 */
export async function v2List(endpoint: string, dir: string, opts: {recursive?: boolean; timeoutMs?: number} = {}): Promise<V2Node> {
  const url = keysUrl(endpoint, dir, {recursive: String(opts.recursive ?? false), sorted: 'true'});
  const res = await get(url, endpoint, opts.timeoutMs ?? DEADLINE_MS);
  const text = await res.text();
  let body: Record<string, unknown> | undefined;
  if (res.headers.get('content-type')?.includes('json')) {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
  }
  if (!body) {
    if (res.status === 404) throw new UndockError('not-found', `the server at ${endpoint} has no v2 API`, NO_V2);
    throw new UndockError('unknown', `etcd v2 at ${endpoint}: HTTP ${res.status}: ${text.trim().slice(0, 200)}`);
  }
  if (!res.ok || typeof body.errorCode === 'number') {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
    if (body.errorCode === 100) throw new UndockError('not-found', `etcd v2: ${dir || '/'} not found`);
    if (res.status === 401 || res.status === 403) throw new UndockError('permission', `etcd v2 refused reading ${dir || '/'}: ${message}`);
    throw new UndockError('unknown', `etcd v2: reading ${dir || '/'} failed: ${message}`);
  }
  return toNode((body.node ?? {}) as Record<string, unknown>);
}
