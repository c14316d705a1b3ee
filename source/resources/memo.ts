/**
 * Memory kept between loads (a CPU sample, a pod's IP) belongs to rows that still exist: after a
 * load, entries under `prefix` whose key was not seen are dropped, so a long session does not keep
 * every container and pod it ever listed.
 */
export function pruneMemo(memo: Map<string, unknown>, prefix: string, seen: {has(key: string): boolean}): void {
  for (const key of memo.keys()) {
    if (key.startsWith(prefix) && !seen.has(key)) memo.delete(key);
  }
}
