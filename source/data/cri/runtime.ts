// The CRI runtime's own identity and health: Version and Status.
import type {CallOptions, GrpcConnection} from '../grpc/connection.js';
import {parseInfo} from './records.js';
import {PROTO, RUNTIME} from './wire.js';

export interface CriVersion {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface RuntimeStatusResult {
  conditions: RuntimeCondition[];
  info: Record<string, unknown>;
}

export function version(conn: GrpcConnection, opts: CallOptions = {}): Promise<CriVersion> {
  return conn.unary<object, CriVersion>(PROTO, RUNTIME, 'Version', {version: 'v1'}, opts);
}

/** CRI Status: the runtime's conditions (RuntimeReady, NetworkReady) and its verbose info, JSON-parsed. */
export async function runtimeStatus(conn: GrpcConnection, verbose = true): Promise<RuntimeStatusResult> {
  const res = await conn.unary<object, {status: {conditions: RuntimeCondition[]} | null; info: Record<string, string>}>(
    PROTO,
    RUNTIME,
    'Status',
    {verbose},
  );
  return {conditions: res.status?.conditions ?? [], info: parseInfo(res.info)};
}
