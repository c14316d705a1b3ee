/** Scale curves: how a figure grows with the count it is measured at (bench/containers.bench.ts). */

export interface CurvePoint {
  n: number;
}

/** Cost per item added: from the first point to the second (low), and from the second to the last (high). */
export function growth<P extends CurvePoint>(points: P[], pick: (p: P) => number): {low: number; high: number; atSecond: number} {
  const [a, b] = points;
  const d = points[points.length - 1]!;
  return {low: (pick(b!) - pick(a!)) / (b!.n - a!.n), high: (pick(d) - pick(b!)) / (d.n - b!.n), atSecond: pick(b!) / b!.n};
}

/**
 * Linear or better: the cost per item of the last segment is at most `limit` times that of the
 * first; a last segment that cost nothing more is fine. When noise made the first segment's cost
 * zero or less, the last is held to the cost per item of the whole second point instead (fixed
 * costs included, so a looser bar, but one a superlinear curve still fails). Never the whole
 * range's: it holds the last segment itself, and a bar that moves with the figure cannot fail.
 */
export function linearOrBetter(g: {low: number; high: number; atSecond: number}, limit: number): boolean {
  if (g.high <= 0) return true;
  return g.high <= limit * (g.low > 0 ? g.low : g.atSecond);
}
