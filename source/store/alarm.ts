/** One wake-up at an epoch time (or none): setting the same time again keeps the timer that is set. */
export class Alarm {
  private timer?: NodeJS.Timeout;
  private at?: number;

  constructor(private readonly ring: (at: number) => void) {}

  set(at: number | undefined): void {
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
