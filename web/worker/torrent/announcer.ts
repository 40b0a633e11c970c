import type { AnnounceEvent } from '../../../shared/tracker/http.ts';
import type { PeerAddress } from '../transport.ts';
import type { TrackerClient } from '../trackers/tracker-client.ts';

/** What an announce reports about us. */
export interface AnnounceState {
  uploaded: number;
  downloaded: number;
  left: number;
}

export interface TrackerStatus {
  url: string;
  lastAnnounceAt?: number;
  peers: number;
  seeders?: number;
  leechers?: number;
  error?: string;
}

const DEFAULT_INTERVAL_S = 1800;
const MIN_INTERVAL_S = 30;
const RETRY_BASE_S = 15;
const NUMWANT = 80;
/** Asking for more peers early is fine, but not more often than this. */
const REFRESH_MIN_S = 60;

interface TrackerEntry {
  client: TrackerClient;
  status: TrackerStatus;
  timer?: ReturnType<typeof setTimeout>;
  failures: number;
}

/**
 * Announces one torrent to its trackers (HTTP or UDP, through the gateway) on their intervals
 * and hands the peers it learns to `onPeers`. All tiers are announced in parallel: a browser tab
 * wants peers fast, and trackers are few.
 */
export class Announcer {
  private readonly trackers: TrackerEntry[];
  private stopped = false;

  constructor(
    clients: TrackerClient[],
    private readonly infoHash: Uint8Array,
    private readonly peerId: Uint8Array,
    private readonly port: () => number,
    private readonly state: () => AnnounceState,
    private readonly onPeers: (peers: PeerAddress[]) => void,
  ) {
    this.trackers = clients.map((client) => ({ client, status: { url: client.url, peers: 0 }, failures: 0 }));
  }

  get statuses(): TrackerStatus[] {
    return this.trackers.map((t) => ({ ...t.status }));
  }

  start(): void {
    this.stopped = false;
    for (const tracker of this.trackers) void this.announce(tracker, 'started');
  }

  completed(): void {
    for (const tracker of this.trackers) void this.announce(tracker, 'completed');
  }

  /** The gateway link came back: trackers whose last announce failed are asked again now. */
  retryFailed(): void {
    if (this.stopped) return;
    for (const tracker of this.trackers) if (tracker.status.error) void this.announce(tracker);
  }

  /** Asks every tracker again now (more peers wanted). */
  refresh(now = Date.now()): void {
    for (const tracker of this.trackers) {
      const last = tracker.status.lastAnnounceAt ?? now;
      if (!tracker.status.error && now - last >= REFRESH_MIN_S * 1000) void this.announce(tracker);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const tracker of this.trackers) {
      clearTimeout(tracker.timer);
      if (tracker.status.lastAnnounceAt) void this.send(tracker, 'stopped').catch(() => {});
    }
  }

  private async announce(tracker: TrackerEntry, event?: AnnounceEvent): Promise<void> {
    clearTimeout(tracker.timer);
    let nextSeconds: number;
    try {
      const response = await this.send(tracker, event);
      if (this.stopped) return;
      tracker.failures = 0;
      tracker.status = {
        url: tracker.status.url, lastAnnounceAt: Date.now(), peers: response.peers.length,
        seeders: response.seeders, leechers: response.leechers,
      };
      nextSeconds = Math.max(MIN_INTERVAL_S, response.minIntervalSeconds ?? 0, response.intervalSeconds || DEFAULT_INTERVAL_S);
      this.onPeers(response.peers);
    } catch (error) {
      if (this.stopped) return;
      tracker.failures++;
      tracker.status = { ...tracker.status, error: (error as Error).message };
      nextSeconds = Math.min(DEFAULT_INTERVAL_S, RETRY_BASE_S * 2 ** Math.min(tracker.failures, 7));
    }
    tracker.timer = setTimeout(() => void this.announce(tracker), nextSeconds * 1000);
  }

  private send(tracker: TrackerEntry, event?: AnnounceEvent) {
    return tracker.client.announce({
      infoHash: this.infoHash, peerId: this.peerId, port: this.port(), ...this.state(), event, numwant: NUMWANT,
    });
  }
}
