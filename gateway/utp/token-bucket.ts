// A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Rate-limits new
// inbound uTP connections and the RESETs sent to strangers.
export class TokenBucket {
  private tokens: number;
  private lastMs = -Infinity;

  constructor(private readonly ratePerSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  take(nowMs: number): boolean {
    if (this.lastMs !== -Infinity) this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSecond);
    this.lastMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
