// Timing what the built CLI shows in a pty, for the benches: when a screen state first holds.
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import type {PtySession} from '../test/helpers/pty.js';

/** Lets the headless terminal parse everything written so far. */
export const flushed = (s: PtySession) => new Promise<void>((r) => s.term.write('', r));

/**
 * Times screen states of a pty session: the time a condition is met is the arrival of the output
 * chunk after whose parse it first holds (not the parse or a poll that follows).
 */
export class ScreenClock {
  private waiters: Array<{test: () => boolean; resolve: (at: number) => void}> = [];

  constructor(readonly session: PtySession) {
    session.proc.onData(() => {
      const at = performance.now();
      void flushed(session).then(() => {
        this.waiters = this.waiters.filter((w) => {
          if (!w.test()) return true;
          w.resolve(at);
          return false;
        });
      });
    });
  }

  when(test: (text: string) => boolean, what: string, timeoutMs = 10_000): Promise<number> {
    const check = () => test(this.session.text());
    return new Promise((resolve, reject) => {
      void flushed(this.session).then(() => {
        if (check()) {
          resolve(performance.now());
          return;
        }
        const timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`pty: no screen with ${what} within ${timeoutMs} ms; screen:\n${this.session.text()}`));
        }, timeoutMs);
        const waiter = {
          test: check,
          resolve: (at: number) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
        this.waiters.push(waiter);
      });
    });
  }
}

/** The selected tree row: drawn inverse (the crumb is inverse too, but is no tree row). */
export function selectedRow(s: PtySession): string | undefined {
  const buf = s.term.buffer.active;
  for (let y = 0; y < s.term.rows; y++) {
    const line = buf.getLine(buf.viewportY + y);
    if (!line?.getCell(1)?.isInverse()) continue;
    const text = line.translateToString(true);
    if (/[▸▾] |^ {3}/.test(text)) return text;
  }
  return undefined;
}

/** A process's resident memory (VmRSS), in KiB. */
export const residentKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
