export interface SourceOptions<T> {
  /** Loads a full snapshot. */
  load: (signal: AbortSignal) => Promise<T>;
  /** Relist period, the safety net under event-driven triggers. */
  intervalMs: number;
  onData: (data: T) => void;
  onError: (err: unknown) => void;
  /** Longest wait between retries after failures. */
  maxBackoffMs?: number;
}

/**
 * A relisting data source: loads on start, on a timer and on trigger(), never two loads at once
 * (a trigger during a load runs one more load after it), and backs off while loads fail.
 */
export class Source<T> {
  private readonly opts: SourceOptions<T>;
  private timer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopped = true;
  private failures = 0;
  private abort?: AbortController;

  constructor(opts: SourceOptions<T>) {
    this.opts = opts;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }

  /** Asks for a fresh load now (coalesced with one already under way). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.run();
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
      this.opts.onData(data);
    } catch (err) {
      if (this.stopped) return;
      this.failures++;
      this.opts.onError(err);
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (this.again) {
      void this.run();
      return;
    }
    this.timer = setTimeout(() => void this.run(), this.delay());
    this.timer.unref?.();
  }

  private delay(): number {
    if (this.failures === 0) return this.opts.intervalMs;
    const max = this.opts.maxBackoffMs ?? 2_000;
    return Math.min(max, 250 * 2 ** (this.failures - 1));
  }
}
