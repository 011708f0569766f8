/** Counts events in a sliding time window: "at most `limit` in any `windowMs`". */
export class SlidingWindowLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether another event would exceed the limit now. */
  isExhausted(): boolean {
    this.forgetOld();
    return this.times.length >= this.limit;
  }

  record(): void {
    this.forgetOld();
    this.times.push(this.now());
  }

  private forgetOld(): void {
    const cutoff = this.now() - this.windowMs;
    while (this.times.length > 0 && this.times[0] <= cutoff) this.times.shift();
  }
}
