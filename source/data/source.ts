export interface SourceOptions<T> {
  /** Loads a full snapshot. */
  load: (signal: AbortSignal) => Promise<T>;
  /** Relist period, the safety net under event-driven triggers. */
  intervalMs: number;
  /** Told every snapshot; returns whether it differs from the last one (an unchanged one lets a calm source back off). */
  onData: (data: T) => boolean | void;
  onError: (err: unknown) => void;
  /** Longest wait between retries after failures. */
  maxBackoffMs?: number;
  /**
   * The wait between relists while calm (an event stream tells of every change) once a relist found
   * nothing new: kubelet's evented PLEG relists every 300 s. A relist that found news (the stream missed
   * it) or a trigger (something is happening) is followed by one at the plain interval first.
   */
  calmMaxMs?: number;
}

/**
 * The wait before the next relist: the interval; while calm, `calmMaxMs` once a relist found nothing
 * new (a ramp of 2 s, 8 s, 32 s... relisted twice in the first minute of every idle view, and at 2,000
 * containers each relist costs more than all the rest of that minute); after failures a short backoff.
 */
export function relistDelay(o: {intervalMs: number; calmMaxMs?: number; maxBackoffMs?: number}, state: {failures: number; quiet: number; calm: boolean}): number {
  if (state.failures > 0) return Math.min(o.maxBackoffMs ?? 2_000, 250 * 2 ** (state.failures - 1));
  if (!state.calm || !o.calmMaxMs || state.quiet === 0) return o.intervalMs;
  return Math.max(o.intervalMs, o.calmMaxMs);
}

/**
 * A relisting data source: loads on start, on a timer and on trigger(), never two loads at once
 * (a trigger during a load runs one more load after it), and backs off while loads fail. While calm
 * it relists only as a rare safety net; while paused it does not load at all, and resume() catches up.
 */
export class Source<T> {
  private readonly opts: SourceOptions<T>;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = true;
  private paused = false;
  /** A trigger came while paused: resume() loads. */
  private missed = false;
  private calmNow = false;
  private quiet = 0;
  private failures = 0;
  private abort?: AbortController;

  constructor(opts: SourceOptions<T>) {
    this.opts = opts;
  }

  /** The wait the timer would use now (for tests and the bench). */
  get nextDelay(): number {
    return relistDelay(this.opts, {failures: this.failures, quiet: this.quiet, calm: this.calmNow});
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.paused) this.missed = true;
    else void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }

  /** Asks for a fresh load now (coalesced with one already under way); a change is coming, so the backoff starts over. */
  trigger(): void {
    if (this.stopped) return;
    this.quiet = 0;
    if (this.paused) {
      this.missed = true;
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.run();
  }

  /** Calm: an event stream reports changes, so the relist is only the safety net and backs off. */
  calm(on: boolean): void {
    if (this.calmNow === on) return;
    this.calmNow = on;
    this.quiet = 0;
    // Leaving calm: the next relist comes at the plain interval, not after a long back-off.
    if (!on && !this.stopped && !this.paused && !this.running) this.schedule();
  }

  /** No loads at all (the terminal lost the focus); triggers meanwhile are remembered. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Loads again: at once when `refresh` or a trigger was missed, else at the next relist. */
  resume(refresh: boolean): void {
    if (!this.paused) return;
    this.paused = false;
    const missed = this.missed;
    this.missed = false;
    if (this.stopped) return;
    // A load that outlived the pause is followed by one more: its answer may predate what was missed.
    if (this.running) this.again ||= refresh || missed;
    else if (refresh || missed) this.trigger();
    else this.schedule();
  }

  private async run(): Promise<void> {
    this.running = true;
    this.again = false;
    const abort = new AbortController();
    this.abort = abort;
    try {
      const data = await this.opts.load(abort.signal);
      if (this.stopped) return;
      this.failures = 0;
      const changed = this.opts.onData(data);
      this.quiet = changed === false ? this.quiet + 1 : 0;
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      this.opts.onError(err);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.paused) {
      if (this.again) this.missed = true;
      return;
    }
    if (this.again) {
      void this.run();
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), this.nextDelay);
    this.timer.unref?.();
  }
}
