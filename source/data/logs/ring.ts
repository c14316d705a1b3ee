/**
 * The last `capacity` items pushed, oldest first: a fixed array used circularly, so a push is O(1)
 * and memory stays flat however long a log is followed.
 */
export class LineRing<T = string> {
  readonly capacity: number;
  private readonly slots: Array<T | undefined>;
  /** Index of the oldest item. */
  private start = 0;
  private count = 0;
  private droppedCount = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity);
  }

  push(line: T): void {
    if (this.count < this.capacity) {
      this.slots[(this.start + this.count) % this.capacity] = line;
      this.count++;
      return;
    }
    // Full: the new line takes the oldest one's slot.
    this.slots[this.start] = line;
    this.start = (this.start + 1) % this.capacity;
    this.droppedCount++;
  }

  /** The kept lines, oldest first (a copy). */
  lines(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.slots[(this.start + i) % this.capacity] as T;
    return out;
  }

  /** How many lines are kept now. */
  get size(): number {
    return this.count;
  }

  /** How many lines fell off the front since the ring was made (or last cleared). */
  get dropped(): number {
    return this.droppedCount;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.droppedCount = 0;
  }
}
