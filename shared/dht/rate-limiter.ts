// Token buckets for incoming DHT queries: one per source address and one for all sources, so a
// flooding node cannot make us spend the tab's link answering it. Pure: the caller passes the time.

export interface RateLimiterOptions {
  readonly perSourcePerSecond?: number;
  readonly perSourceBurst?: number;
  readonly totalPerSecond?: number;
  /** Sources remembered at once; when exceeded the map starts over (bounded memory). */
  readonly maxSources?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class QueryRateLimiter {
  private readonly sources = new Map<string, Bucket>();
  private readonly total: Bucket;
  private readonly perSourcePerSecond: number;
  private readonly perSourceBurst: number;
  private readonly totalPerSecond: number;
  private readonly maxSources: number;

  constructor(options: RateLimiterOptions = {}, nowMs = 0) {
    this.perSourcePerSecond = options.perSourcePerSecond ?? 20;
    this.perSourceBurst = options.perSourceBurst ?? 40;
    this.totalPerSecond = options.totalPerSecond ?? 200;
    this.maxSources = options.maxSources ?? 4096;
    this.total = { tokens: this.totalPerSecond, updatedMs: nowMs };
  }

  /** Takes one token for `source` (and one overall); false means drop the query. */
  allow(source: string, nowMs: number): boolean {
    let bucket = this.sources.get(source);
    if (!bucket) {
      if (this.sources.size >= this.maxSources) this.sources.clear();
      bucket = { tokens: this.perSourceBurst, updatedMs: nowMs };
      this.sources.set(source, bucket);
    }
    refill(bucket, nowMs, this.perSourcePerSecond, this.perSourceBurst);
    refill(this.total, nowMs, this.totalPerSecond, this.totalPerSecond);
    if (bucket.tokens < 1 || this.total.tokens < 1) return false;
    bucket.tokens--;
    this.total.tokens--;
    return true;
  }
}

function refill(bucket: Bucket, nowMs: number, perSecond: number, capacity: number): void {
  const elapsedMs = Math.max(0, nowMs - bucket.updatedMs);
  bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs * perSecond) / 1000);
  bucket.updatedMs = nowMs;
}
