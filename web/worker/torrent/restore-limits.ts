// A reloaded torrent's limits, seeding time and stop reason, from its record. A record's limits
// that no longer pass the checks (hand-edited, an older version) are dropped with a warning: the
// torrent then follows the global settings rather than not loading.
import type { TorrentRecord } from '../piece-store.ts';
import type { Torrent } from './torrent.ts';

export function restoreLimitsAndGoals(torrent: Torrent, record: TorrentRecord, warn: (message: string) => void): void {
  try {
    torrent.setLimits(record.limits ?? {});
  } catch (error) {
    warn(`its saved limits were invalid (${(error as Error).message}); it follows the global ones`);
  }
  torrent.seedingClock.restore(record);
  if (record.paused && record.stopReason) torrent.stopReason = record.stopReason;
}
