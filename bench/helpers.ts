import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';

export interface Stats {
  runs: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of samples sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Milliseconds one call of fn takes. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs fn `warmup` times unmeasured (connections, JIT, page cache), then `runs` times one after another. */
export async function sample(runs: number, fn: () => unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await timeMs(fn));
  return out;
}

/** Runs fn over items with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return out;
}

/** Runs a CLI to completion and returns its stdout; throws with its stderr when it fails. */
export function runCli(command: string, args: string[]): string {
  const r = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Clock ticks per second for /proc/<pid>/stat times. */
export const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in clock ticks. */
export function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in parentheses may hold spaces: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of the whole line (utime, stime) are 12 and 13 after "pid (comm) ".
  return Number(fields[11]) + Number(fields[12]);
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

interface FigureLine {
  name: string;
  runs: string;
  p50: string;
  p95: string;
  p99: string;
  max: string;
  note: string;
}

export interface Budget {
  name: string;
  /** What was measured, already formatted for the table. */
  measured: string;
  /** The line that fails the bench, e.g. "≤ 3.0x". */
  limit: string;
  /** The design goal, reported but not enforced (the machine is shared). */
  goal?: string;
  ok: boolean;
  /** Whether the goal was met too (undefined when there is no separate goal). */
  goalMet?: boolean;
  /** What the figure is measured against in the same run (e.g. "ctr c ls + ctr t ls: 42 ms"). */
  reference?: string;
  /** measured / reference, when the budget is a ratio. */
  ratio?: number;
}

/** Where each bench leaves its part of the run's results; bench/summary.ts merges them. */
export const RESULTS_DIR = process.env.UNDOCK_BENCH_RESULTS ?? path.join(import.meta.dirname, 'results.d');

export interface BenchResult {
  bench: string;
  title: string;
  failure?: string;
  figures: FigureLine[];
  budgets: Budget[];
}

/** Collects figures and budgets and prints them as two aligned tables. */
export class BenchReport {
  private readonly figures: FigureLine[] = [];
  private readonly budgets: Budget[] = [];

  constructor(readonly title: string) {}

  /** A measured series (times in ms). */
  series(name: string, stats: Stats, note = ''): void {
    this.figures.push({
      name,
      runs: String(stats.runs),
      p50: formatMs(stats.p50),
      p95: formatMs(stats.p95),
      p99: formatMs(stats.p99),
      max: formatMs(stats.max),
      note,
    });
  }

  /** A one-off figure, shown in the p50 column. */
  single(name: string, value: string, note = ''): void {
    this.figures.push({name, runs: '1', p50: value, p95: '', p99: '', max: '', note});
  }

  budget(b: Budget): void {
    this.budgets.push(b);
  }

  get failed(): boolean {
    return this.budgets.some((b) => !b.ok);
  }

  /** Writes this bench's figures and budgets as JSON for the run's summary table. */
  save(name: string, failure?: unknown): void {
    const result: BenchResult = {bench: name, title: this.title, figures: this.figures, budgets: this.budgets};
    if (failure) result.failure = (failure as Error).message ?? String(failure);
    fs.mkdirSync(RESULTS_DIR, {recursive: true});
    fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
  }

  print(out: NodeJS.WritableStream = process.stdout): void {
    const lines: string[] = [`\n${this.title}`, ''];
    const head: FigureLine = {name: 'figure', runs: 'runs', p50: 'p50', p95: 'p95', p99: 'p99', max: 'max', note: ''};
    const all = [head, ...this.figures];
    const w = (k: keyof FigureLine) => Math.max(...all.map((f) => f[k].length));
    for (const f of all) {
      lines.push(
        [
          f.name.padEnd(w('name')),
          f.runs.padStart(w('runs')),
          f.p50.padStart(w('p50')),
          f.p95.padStart(w('p95')),
          f.p99.padStart(w('p99')),
          f.max.padStart(w('max')),
          f.note,
        ]
          .join('  ')
          .trimEnd(),
      );
    }
    lines.push('');
    const rows = [
      ['budget', 'measured', 'fails above', 'goal', 'result'],
      ...this.budgets.map((b) => [
        b.name,
        b.measured,
        b.limit,
        b.goal ?? '',
        b.ok ? (b.goalMet === false ? 'ok (goal missed)' : 'ok') : 'OVER BUDGET',
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
    out.write(lines.join('\n') + '\n');
  }

  /**
   * Prints the whole bench's time and the report, then exits: 2 when the bench could not complete,
   * 1 when a budget is exceeded. Exiting also ends the handles clients leave behind (etcd3, grpc, node-pty).
   */
  finish(name: string, startedAt: number, failure: unknown): never {
    this.single(`whole ${name} bench`, formatMs(performance.now() - startedAt));
    this.print();
    this.save(name, failure);
    if (failure) {
      console.error(`\nbench: ${name} bench did not complete: ${(failure as Error).stack ?? String(failure)}`);
      process.exit(2);
    }
    process.exit(this.failed ? 1 : 0);
  }
}
