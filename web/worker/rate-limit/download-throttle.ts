// The download limit: requests sized to what the limit allows (a torrent keeps about a second of
// the limit outstanding, not a pipeline per peer sized to the link), and, as the backstop, a peer
// whose data put the bucket in debt has its stream paused: the gateway stops reading its socket and
// TCP/uTP flow control slows the peer. When the bucket is out of debt the streams resume and the
// torrent is told to request again.
import type { RateLimiter } from './rate-limiter.ts';
import { realTimers, type Timers } from './upload-queue.ts';

export interface PausableStream {
  pause(): void;
  resume(): void;
  readonly closed: boolean;
}

const BLOCK_BYTES = 16 * 1024;
/** Outstanding requests of a limited torrent: this much time's worth of the limit. */
const OUTSTANDING_SECONDS = 1;

export class DownloadThrottle {
  private readonly paused = new Set<PausableStream>();
  private timer?: unknown;

  constructor(private readonly limiter: RateLimiter, private readonly onReady: () => void, private readonly timers: Timers = realTimers) {}

  /** New requests may go out. */
  allowsRequests(): boolean {
    return this.limiter.ready();
  }

  /** Requests a torrent may add, given how many it has outstanding (Infinity when unlimited). */
  requestBudget(outstandingBlocks: number): number {
    const rate = this.limiter.bytesPerSecond;
    if (rate === 0) return Infinity;
    const blocks = Math.max(1, Math.ceil((rate * OUTSTANDING_SECONDS) / BLOCK_BYTES));
    return Math.max(0, blocks - outstandingBlocks);
  }

  /** Counts received bytes; the stream they came on (none: a web seed) waits while the bucket is in debt. */
  received(bytes: number, stream?: PausableStream): void {
    this.limiter.take(bytes);
    if (this.limiter.ready()) return;
    if (stream && !stream.closed && !this.paused.has(stream)) {
      stream.pause();
      this.paused.add(stream);
    }
    this.schedule();
  }

  /** The limit changed: check again at once. */
  changed(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.wake();
  }

  /** Resumes every paused stream (the torrent stopped, or the limit was lifted). */
  releaseAll(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    for (const stream of this.paused) if (!stream.closed) stream.resume();
    this.paused.clear();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = this.timers.setTimeout(() => { this.timer = undefined; this.wake(); }, Math.max(1, this.limiter.waitMs()));
  }

  private wake(): void {
    if (!this.limiter.ready()) return this.schedule();
    this.releaseAll();
    this.onReady();
  }
}
