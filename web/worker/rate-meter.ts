// A byte rate over a sliding window of one-second buckets. In its first seconds the window is
// the time since its first byte (at least MIN_SPAN_MS), not the whole window: a new peer's rate is
// known at once, not underestimated fivefold (request pipelines are sized from it).
const BUCKETS = 5;
const MIN_SPAN_MS = 250;

export class RateMeter {
  private readonly buckets = new Float64Array(BUCKETS);
  private currentSecond = 0;
  private firstAt: number | undefined;
  total = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(bytes: number): void {
    this.firstAt ??= this.now();
    this.advance();
    this.buckets[this.currentSecond % BUCKETS]! += bytes;
    this.total += bytes;
  }

  /** Bytes per second over the last few seconds. */
  get bytesPerSecond(): number {
    this.advance();
    let sum = 0;
    for (let i = 1; i < BUCKETS; i++) sum += this.buckets[(this.currentSecond - i + BUCKETS * 2) % BUCKETS]!;
    const partial = this.buckets[this.currentSecond % BUCKETS]!;
    const now = this.now();
    const young = this.firstAt !== undefined && now - this.firstAt < (BUCKETS - 1) * 1000;
    if (young) return (sum + partial) / (Math.max(MIN_SPAN_MS, now - this.firstAt!) / 1000);
    const fraction = (now % 1000) / 1000;
    return (sum + partial) / (BUCKETS - 1 + Math.max(fraction, 0.001));
  }

  private advance(): void {
    const second = Math.floor(this.now() / 1000);
    if (this.currentSecond === 0) this.currentSecond = second;
    while (this.currentSecond < second) {
      this.currentSecond++;
      this.buckets[this.currentSecond % BUCKETS] = 0;
      if (second - this.currentSecond > BUCKETS) this.currentSecond = second - BUCKETS;
    }
  }
}
