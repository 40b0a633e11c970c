// A chain of byte buckets — a torrent's own and the global one — that a byte passes only when it
// passes all of them: the tighter limit rules, and torrents share the global one.
import type { ByteBucket } from './token-bucket.ts';

export class RateLimiter {
  constructor(private readonly buckets: readonly ByteBucket[]) {}

  get unlimited(): boolean {
    return this.buckets.every((bucket) => bucket.unlimited);
  }

  /** The tightest limit in bytes per second (0: none). */
  get bytesPerSecond(): number {
    const limits = this.buckets.map((bucket) => bucket.bytesPerSecond).filter((rate) => rate > 0);
    return limits.length ? Math.min(...limits) : 0;
  }

  ready(): boolean {
    return this.buckets.every((bucket) => bucket.ready());
  }

  take(bytes: number): void {
    for (const bucket of this.buckets) bucket.take(bytes);
  }

  available(): number {
    return Math.min(...this.buckets.map((bucket) => bucket.available()));
  }

  /** Until every bucket is out of debt. */
  waitMs(): number {
    return Math.max(0, ...this.buckets.map((bucket) => bucket.waitMs()));
  }
}
