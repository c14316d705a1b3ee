// What every CRI call shares: the proto and service names, deadlines, and the wire shapes several messages reuse.
import type {GrpcConnection} from '../grpc/connection.js';

export const PROTO = 'cri/runtime/v1/api.proto';
export const RUNTIME = 'runtime.v1.RuntimeService';
export const IMAGES = 'runtime.v1.ImageService';

// Stopping and removing wait for processes, CNI teardown and snapshot removal: 5 s is too short.
export const LIFECYCLE_DEADLINE_MS = 60_000;

// ---- wire shapes (keepCase, longs and enums as strings, defaults filled in)

export type Int64 = string;
export interface PbValue {
  value: Int64;
}
export interface PbContainerMetadata {
  name: string;
  attempt: number;
}

/** A RuntimeService call that changes state and answers nothing worth keeping. */
export async function lifecycle(conn: GrpcConnection, method: string, req: object, deadlineMs = LIFECYCLE_DEADLINE_MS): Promise<void> {
  await conn.unary(PROTO, RUNTIME, method, req, {deadlineMs});
}
