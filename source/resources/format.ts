import type {Column} from './types.js';

/** k9s-style age: 42s, 5m, 3h, 12d, 2y. */
export function formatAge(date: Date | undefined, now: number): string {
  if (!date) return '-';
  const s = Math.max(0, Math.floor((now - date.getTime()) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const SECOND = 1000;
const STEPS = [
  {below: 120 * SECOND, unit: SECOND},
  {below: 120 * 60 * SECOND, unit: 60 * SECOND},
  {below: 48 * 3600 * SECOND, unit: 3600 * SECOND},
];

/**
 * When formatAge(date, ·) next shows another text, after `now`: the live clock wakes only then
 * (every second while an age is under 2 minutes, every minute under 2 hours, ...).
 */
export function ageChangesAt(date: Date | undefined, now: number): number | undefined {
  if (!date) return undefined;
  const start = date.getTime();
  const elapsed = Math.max(0, now - start);
  const unit = STEPS.find((s) => elapsed < s.below)?.unit ?? 24 * 3600 * SECOND;
  // A date in the future (clock skew) shows 0s until it is reached.
  return now < start ? start + SECOND : start + (Math.floor(elapsed / unit) + 1) * unit;
}

/** An exited container as docker ps and nerdctl say it: `Exited (137) 2m ago`, with CRI's reason when given. */
export function exitedText(code: number | undefined, at: Date | undefined, now: number, reason?: string): string {
  return `Exited (${code ?? '?'})${reason ? ` ${reason}` : ''}${at ? ` ${formatAge(at, now)} ago` : ''}`;
}

/** Binary sizes as ctr prints them: 1.2 MiB. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** "sha256:abcdef..." -> "abcdef012345" (12 hex, as docker and nerdctl show IDs). */
export function shortDigest(digest: string): string {
  const hex = digest.includes(':') ? digest.slice(digest.indexOf(':') + 1) : digest;
  return hex.slice(0, 12);
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The AGE column every resource shows: youngest first when ascending (as k9s sorts age), live. */
export function ageColumn<Row>(created: (row: Row) => Date | undefined): Column<Row> {
  return {
    id: 'age',
    header: 'AGE',
    sortKey: 'A',
    align: 'right',
    cell: (r, now) => formatAge(created(r), now),
    sortValue: (r) => -(created(r)?.getTime() ?? 0),
    changesAt: (r, now) => ageChangesAt(created(r), now),
  };
}
