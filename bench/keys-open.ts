/**
 * The key tree opened in a running CLI: undock is started on another view (events, which reads no
 * etcd), then `:keys` is typed, and the time is from the keys to the frame in which `ready` holds.
 * That is "after the view opens", as the budget says; timed from the CLI's first frame it
 * would depend on when that frame is drawn (which now waits for the first view's rows).
 */
import {performance} from 'node:perf_hooks';
import {PtySession} from '../test/helpers/pty.js';
import {ScreenClock} from './pty-clock.js';

export async function keysViewOpen(ready: (text: string) => boolean, label: string, timeoutMs = 30_000): Promise<{openMs: number}> {
  const s = new PtySession({args: ['--view', 'events'], cols: 140, rows: 40});
  try {
    const clock = new ScreenClock(s);
    await clock.when((t) => /Events\[\d+\]/.test(t), 'the events view', 20_000);
    const asked = performance.now();
    s.proc.write(':keys\r');
    const at = await clock.when(ready, label, timeoutMs);
    return {openMs: at - asked};
  } finally {
    s.kill();
  }
}
