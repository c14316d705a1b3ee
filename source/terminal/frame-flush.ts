/**
 * Draws the frame a key press made now, not at the end of Ink's render throttle (up to 33 ms).
 * The bundle publishes the throttle's flush (scripts/build/app-plugins.ts, inkFlushPlugin); run
 * from source there is none and this does nothing. The flush runs after the press's React commit.
 */
const flushKey = Symbol.for('undock.ink.flush');

export function flushFrameSoon(): void {
  const flush = (globalThis as Record<symbol, (() => void) | undefined>)[flushKey];
  if (flush) setImmediate(flush);
}
