// Timing what the built CLI shows in a pty, for the benches: when a screen state first holds.
import fs from 'node:fs';
import {performance} from 'node:perf_hooks';
import type {PtySession} from '../test/helpers/pty.js';

/** Lets the headless terminal parse everything written so far. */
export const flushed = (s: PtySession) => new Promise<void>((r) => s.term.write('', r));

/** Ink wraps each frame in a synchronized update (DEC mode 2026): a terminal shows it at the end. */
const SYNC_BEGIN = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';

/**
 * Times screen states of a pty session: the time a condition is met is the arrival of the output
 * chunk that completes the frame after which it first holds, as a terminal would show it. Not the
 * bench's parse of it (the headless terminal parses later, in this process, and is not counted; a
 * chunk read while an earlier one is parsed is timed late, never early), and not a chunk in the
 * middle of a frame: while a synchronized update is open the frame is not shown yet, so the time is
 * that of the chunk that ends it.
 */
export class ScreenClock {
  private waiters: Array<{test: () => boolean; resolve: (at: number) => void}> = [];
  /** The end of the output so far, for a begin or end sequence split across two chunks. */
  private tail = '';
  private inFrame = false;

  constructor(readonly session: PtySession) {
    session.proc.onData((d) => {
      const at = performance.now();
      const text = this.tail + d;
      this.tail = text.slice(-(SYNC_BEGIN.length - 1));
      const begin = text.lastIndexOf(SYNC_BEGIN);
      const end = text.lastIndexOf(SYNC_END);
      if (begin >= 0 || end >= 0) this.inFrame = begin > end;
      if (this.inFrame) return;
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
