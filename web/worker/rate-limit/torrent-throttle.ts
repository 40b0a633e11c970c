// One torrent's limits: its overrides (kept in its record), its own buckets chained before the
// global ones, the download throttle and the upload queue. A torrent's own limit applies on top of
// the global one: the tighter wins, and the global limit caps all torrents together.
import { ByteBucket, type Clock } from './token-bucket.ts';
import { RateLimiter } from './rate-limiter.ts';
import { DownloadThrottle } from './download-throttle.ts';
import { UploadQueue, realTimers, type Timers } from './upload-queue.ts';
import type { GlobalLimits } from './global-limits.ts';
import { checkTorrentLimits, effectiveLimits, kibToBytes, type LimitSettings, type TorrentLimits } from './limit-settings.ts';

export class TorrentThrottle {
  private own: TorrentLimits = {};
  private readonly downloadBucket: ByteBucket;
  private readonly uploadBucket: ByteBucket;
  readonly downloads: DownloadThrottle;
  readonly uploads: UploadQueue;

  constructor(private readonly global: GlobalLimits, onDownloadReady: () => void, now: Clock = () => Date.now(), timers: Timers = realTimers) {
    this.downloadBucket = new ByteBucket(now);
    this.uploadBucket = new ByteBucket(now);
    this.downloads = new DownloadThrottle(new RateLimiter([this.downloadBucket, global.download]), onDownloadReady, timers);
    this.uploads = new UploadQueue(new RateLimiter([this.uploadBucket, global.upload]), timers);
  }

  /** The torrent's overrides (absent fields follow the global settings). */
  get overrides(): Readonly<TorrentLimits> {
    return this.own;
  }

  /** What applies now: the overrides over the global settings. */
  get effective(): LimitSettings {
    return effectiveLimits(this.global.settings, this.own);
  }

  /** Checks and applies new overrides; throws a LimitError (nothing applied) when one is invalid. */
  setOverrides(limits: unknown): void {
    this.own = checkTorrentLimits(limits);
    this.downloadBucket.setRate(kibToBytes(this.own.downloadKiBps ?? 0));
    this.uploadBucket.setRate(kibToBytes(this.own.uploadKiBps ?? 0));
    this.changed();
  }

  /** A limit changed (here or globally): waiting streams and uploads check again now. */
  changed(): void {
    this.downloads.changed();
    this.uploads.drain();
  }

  /** The torrent stopped: nothing waits any more. */
  stop(): void {
    this.uploads.clear();
    this.downloads.releaseAll();
  }
}
