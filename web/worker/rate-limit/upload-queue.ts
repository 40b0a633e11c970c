// Uploads waiting for the upload limit: a peer's request becomes a job that runs when the limiter
// allows, in the order requested. Jobs hold a block reference, not its bytes (the piece is read
// when the job runs), and the queue is bounded: a request beyond it is refused (BEP 6 reject).
import type { RateLimiter } from './rate-limiter.ts';

export interface UploadJob {
  /** Sends the block if still wanted; returns the bytes sent (0: cancelled, choked, gone). */
  run(): number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Requests waiting at most, per torrent (a peer may queue 500; several peers share this). */
export const MAX_QUEUED_UPLOADS = 2000;

export class UploadQueue {
  private readonly jobs: UploadJob[] = [];
  private timer?: unknown;

  constructor(private readonly limiter: RateLimiter, private readonly timers: Timers = realTimers, private readonly maxJobs = MAX_QUEUED_UPLOADS) {}

  get size(): number {
    return this.jobs.length;
  }

  /** Runs the job now if the limit allows and nothing waits before it; false when the queue is full. */
  push(job: UploadJob): boolean {
    if (this.jobs.length >= this.maxJobs) return false;
    this.jobs.push(job);
    this.drain();
    return true;
  }

  /** Runs waiting jobs while the limiter allows; wakes itself up when it will allow again. */
  drain(): void {
    while (this.jobs.length > 0 && this.limiter.ready()) {
      const sent = this.jobs.shift()!.run();
      if (sent > 0) this.limiter.take(sent);
    }
    if (this.jobs.length > 0 && this.timer === undefined) {
      this.timer = this.timers.setTimeout(() => { this.timer = undefined; this.drain(); }, Math.max(1, this.limiter.waitMs()));
    }
  }

  /** Drops every waiting job (the torrent stopped). */
  clear(): void {
    this.jobs.length = 0;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
