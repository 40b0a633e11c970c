// A byte bucket for rate limits: `bytesPerSecond` tokens refill continuously up to a burst of one
// refill period's worth (a limit holds over fractions of a second, not only over minutes). A
// message passes while the bucket is not in debt and takes its whole size, so a 16 KiB block
// passes even a limit below 16 KiB/s, and the debt it leaves delays the next one: the average holds.
// (gateway/utp/token-bucket.ts counts packets for the gateway; this one counts the engine's bytes.)

/** The burst: this much time's worth of the rate, and at least one block. */
export const REFILL_PERIOD_MS = 100;
const MIN_BURST_BYTES = 16 * 1024;

export type Clock = () => number;

export class ByteBucket {
  private rate = 0;
  private tokens = 0;
  private lastMs: number;

  constructor(private readonly now: Clock = () => Date.now(), bytesPerSecond = 0) {
    this.lastMs = now();
    this.setRate(bytesPerSecond);
  }

  /** 0 means unlimited. */
  get bytesPerSecond(): number {
    return this.rate;
  }

  get unlimited(): boolean {
    return this.rate <= 0;
  }

  /** A new limit applies from now; the debt of the old one is forgiven, the burst starts full. */
  setRate(bytesPerSecond: number): void {
    const rate = Number.isFinite(bytesPerSecond) && bytesPerSecond > 0 ? bytesPerSecond : 0;
    if (rate === this.rate) return;
    this.rate = rate;
    this.lastMs = this.now();
    this.tokens = this.burst;
  }

  private get burst(): number {
    return Math.max(MIN_BURST_BYTES, (this.rate * REFILL_PERIOD_MS) / 1000);
  }

  /** True while a message may pass (not in debt). */
  ready(): boolean {
    if (this.unlimited) return true;
    this.refill();
    return this.tokens > 0;
  }

  /** Counts bytes that passed (the bucket may go into debt). */
  take(bytes: number): void {
    if (this.unlimited) return;
    this.refill();
    this.tokens -= bytes;
  }

  /** Bytes that may pass now without debt (Infinity when unlimited). */
  available(): number {
    if (this.unlimited) return Infinity;
    this.refill();
    return Math.max(0, this.tokens);
  }

  /** Milliseconds until the bucket is out of debt (0 when ready now). */
  waitMs(): number {
    if (this.unlimited) return 0;
    this.refill();
    return this.tokens > 0 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  private refill(): void {
    const now = this.now();
    const elapsedMs = Math.max(0, now - this.lastMs);
    this.lastMs = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.rate);
  }
}
