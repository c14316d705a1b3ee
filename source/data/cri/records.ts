// Decoding helpers the CRI record mappers share: verbose info maps, wrapped counters, kubelet's restart annotation.
import type {PbValue} from './wire.js';

/** Restarts as the kubelet counts them (its annotation), else the CRI attempt number. */
export function restartCount(annotations: Record<string, string> | undefined, attempt: number): number {
  const n = Number(annotations?.['io.kubernetes.container.restartCount']);
  return Number.isInteger(n) && n >= 0 ? n : attempt;
}

/** The verbose info map holds JSON documents as strings; anything that is not JSON stays a string. */
export function parseInfo(info: Record<string, string> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info ?? {})) {
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** Wrapped uint64 counters; past 2^53 they lose precision, which no display or rate notices. */
export function num(v: PbValue | null | undefined): number | undefined {
  return v ? Number(v.value) : undefined;
}
