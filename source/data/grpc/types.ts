/** Wire shapes as @grpc/proto-loader hands them over (keepCase, longs and enums as strings). */
export interface PbTimestamp {
  seconds: string;
  nanos: number;
}

export interface PbDescriptor {
  media_type: string;
  digest: string;
  size: string;
  annotations: Record<string, string>;
}

export function toDate(ts: PbTimestamp | null | undefined): Date | undefined {
  if (!ts) return undefined;
  const ms = Number(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
  return ms > 0 ? new Date(ms) : undefined;
}

/** CRI timestamps are int64 nanoseconds since the epoch. */
export function nanosToDate(ns: string | number | undefined): Date | undefined {
  if (ns === undefined) return undefined;
  const ms = Number(BigInt(ns) / 1_000_000n);
  return ms > 0 ? new Date(ms) : undefined;
}
