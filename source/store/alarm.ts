/**
 * One wake-up at an epoch time (or none): setting the same time again keeps the timer that is set.
 * With a step, the time is rounded up to a multiple of it: wake-ups a few ms apart (the ages of five
 * containers started together) become one, at most a step late.
 */
export class Alarm {
  private timer?: NodeJS.Timeout;
  private at?: number;

  constructor(
    private readonly ring: (at: number) => void,
    private readonly stepMs = 0,
  ) {}

  set(wanted: number | undefined): void {
    const at = wanted === undefined || !this.stepMs ? wanted : Math.ceil(wanted / this.stepMs) * this.stepMs;
    if (at === this.at) return;
    this.clear();
    this.at = at;
    if (at === undefined) return;
    this.timer = setTimeout(() => {
      this.at = undefined;
      this.ring(at);
    }, Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.at = undefined;
  }
}
