// The tab's global limits: the settings (from the page, web/settings.ts) and the two buckets every
// torrent's limiter chains after its own.
import { ByteBucket, type Clock } from './token-bucket.ts';
import { DEFAULT_LIMITS, checkLimitSettings, kibToBytes, type LimitSettings } from './limit-settings.ts';

export class GlobalLimits {
  private current: LimitSettings = { ...DEFAULT_LIMITS };
  readonly download: ByteBucket;
  readonly upload: ByteBucket;

  constructor(now: Clock = () => Date.now()) {
    this.download = new ByteBucket(now);
    this.upload = new ByteBucket(now);
  }

  get settings(): Readonly<LimitSettings> {
    return this.current;
  }

  /** Checks and applies new settings; throws a LimitError (nothing applied) when one is invalid. */
  set(settings: unknown): void {
    const checked = checkLimitSettings(settings);
    this.current = checked;
    this.download.setRate(kibToBytes(checked.downloadKiBps));
    this.upload.setRate(kibToBytes(checked.uploadKiBps));
  }
}
