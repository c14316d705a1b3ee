/**
 * The apimachinery types whose JSON is not their protobuf shape: Time and MicroTime (RFC 3339),
 * Duration (Go's text), Quantity (its text), IntOrString (a number or a text), FieldsV1 and
 * RawExtension (JSON bytes, shown parsed).
 */
const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1';
export const TIME = `${meta}.Time`;
export const MICRO_TIME = `${meta}.MicroTime`;
export const DURATION = `${meta}.Duration`;
export const FIELDS_V1 = `${meta}.FieldsV1`;
export const QUANTITY = 'k8s.io.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'k8s.io.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'k8s.io.apimachinery.pkg.runtime.RawExtension';

export const SPECIAL_TYPES = new Set([TIME, MICRO_TIME, DURATION, FIELDS_V1, QUANTITY, INT_OR_STRING, RAW_EXTENSION]);

/** A protobufjs number, Long or string as a JS number (a decimal string past 2^53). */
export function toNumber(v: unknown): number | string {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return 0;
  const text = String(v);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function isoSeconds(seconds: number): string | undefined {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString().slice(0, 19);
}

/** metav1.Time: RFC 3339 to the second; the zero time is null (as Go's JSON writes it). */
export function timeText(seconds: number, nanos: number): string | null {
  if (seconds === 0 && nanos === 0) return null;
  const base = isoSeconds(seconds);
  return base === undefined ? String(seconds) : `${base}Z`;
}

/** metav1.MicroTime: RFC 3339 with six decimals. */
export function microTimeText(seconds: number, nanos: number): string | null {
  if (seconds === 0 && nanos === 0) return null;
  const base = isoSeconds(seconds);
  if (base === undefined) return String(seconds);
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

/** RFC 3339 text back to seconds and nanos (undefined when it is not a time). */
export function parseTime(text: string): {seconds: number; nanos: number} | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  const nanos = m[2] ? Math.round(Number(`0${m[2]}`) * 1e9) : 0;
  return {seconds: Math.floor(ms / 1000), nanos};
}

const UNITS: [string, number][] = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
  ['µs', 1e3],
  ['ns', 1],
];

function trimFraction(value: number, unit: number): string {
  return (value / unit).toFixed(9).replace(/\.?0+$/, '');
}

/** time.Duration.String(): 1h2m3.5s, 1.5ms, 0s. */
export function durationText(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimFraction(n, size as number)}${unit}`;
  }
  let out = '';
  const hours = Math.floor(n / 3600e9);
  n -= hours * 3600e9;
  const minutes = Math.floor(n / 60e9);
  n -= minutes * 60e9;
  if (hours) out += `${hours}h`;
  if (hours || minutes) out += `${minutes}m`;
  return `${sign}${out}${trimFraction(n, 1e9)}s`;
}

/** Go's duration text back to nanoseconds (undefined when it is not one). */
export function parseDuration(text: string): number | undefined {
  const m = /^(-?)((?:\d+(?:\.\d+)?(?:h|ms|us|µs|ns|m|s))+)$/.exec(text);
  if (!m) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g)) {
    total += Number(part[1]) * (UNITS.find(([u]) => u === part[2])?.[1] ?? 0);
  }
  return m[1] ? -Math.round(total) : Math.round(total);
}
