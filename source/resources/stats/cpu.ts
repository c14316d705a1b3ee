// CPU as crictl stats shows it: CRI's nano-cores when the runtime has a rate, else the change between two loads.
import type {DataContext} from '../types.js';

interface Sample {
  at: number;
  coreNanos: number;
}

/** Percent of one core, or undefined until there are two samples. `key` names the memo (per container or pod). */
export function cpuPercent(ctx: DataContext, key: string, cpu: {usageCoreNanoSeconds?: number; usageNanoCores?: number} | undefined, at: number): number | undefined {
  if (!cpu) return undefined;
  const memoKey = `cpu:${key}`;
  const prev = ctx.memo.get(memoKey) as Sample | undefined;
  if (cpu.usageCoreNanoSeconds !== undefined) ctx.memo.set(memoKey, {at, coreNanos: cpu.usageCoreNanoSeconds});
  if (cpu.usageNanoCores) return cpu.usageNanoCores / 1e7;
  if (!prev || cpu.usageCoreNanoSeconds === undefined || at <= prev.at) return undefined;
  return ((cpu.usageCoreNanoSeconds - prev.coreNanos) / ((at - prev.at) * 1e6)) * 100;
}

export const percentText = (p: number | undefined) => (p === undefined ? '-' : `${p.toFixed(p < 10 ? 2 : 1)}%`);
