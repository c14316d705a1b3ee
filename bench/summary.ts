// Merges what each bench of this run left in bench/results.d into bench/results.json and prints the
// one table of every budget: its figure, its reference in the same run, the ratio and the result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {RESULTS_DIR, type BenchResult} from './helpers.js';

const files = fs.existsSync(RESULTS_DIR) ? fs.readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')).sort() : [];
const results: BenchResult[] = files.map((f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as BenchResult);

const rows: string[][] = [['bench', 'budget', 'measured', 'reference (same run)', 'ratio', 'fails above', 'goal', 'result']];
for (const r of results) {
  for (const b of r.budgets) {
    rows.push([
      r.bench,
      b.name,
      b.measured,
      b.reference ?? '',
      b.ratio === undefined ? '' : `${b.ratio.toFixed(2)}x`,
      b.limit,
      b.goal ?? '',
      b.ok ? (b.goalMet === false ? 'ok (goal missed)' : 'ok') : 'OVER BUDGET',
    ]);
  }
  if (r.failure) rows.push([r.bench, 'did not complete', r.failure, '', '', '', '', 'FAILED']);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
const table = [line(rows[0]!), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)];
process.stdout.write(`\nbench summary (${os.cpus().length} cores, node ${process.version})\n\n${table.join('\n')}\n`);

const out = path.join(import.meta.dirname, 'results.json');
const summary = {
  date: new Date().toISOString(),
  machine: {cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version},
  results,
};
fs.writeFileSync(out, JSON.stringify(summary, null, 2) + '\n');
const failed = results.some((r) => r.failure) ? 2 : results.some((r) => r.budgets.some((b) => !b.ok)) ? 1 : 0;
process.exit(failed);
