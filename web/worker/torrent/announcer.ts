import type { AnnounceEvent } from '../../../shared/tracker/http.ts';
import type { PeerAddress } from '../transport.ts';
import type { AnnounceResult, TrackerClient } from '../trackers/tracker-client.ts';
import { TrackerTier } from '../trackers/tracker-tier.ts';

/** What an announce reports about us. */
export interface AnnounceState {
  uploaded: number;
  downloaded: number;
  left: number;
}

export interface TrackerStatus {
  url: string;
  /** The BEP 12 tier, 0 first; the statuses list each tier in the order it is tried. */
  tier: number;
  lastAnnounceAt?: number;
  peers: number;
  /** From the last announce or scrape, whichever came later. */
  seeders?: number;
  leechers?: number;
  /** Completed downloads ever, from a scrape (BEP 48, BEP 15). */
  downloaded?: number;
  scrapedAt?: number;
  /** The tracker's `warning message` in its last answer: it answered, but has something to say. */
  warning?: string;
  error?: string;
}

export interface AnnouncerOptions {
  /** Shuffles each tier once (BEP 12); [0, 1) like Math.random. */
  random?: () => number;
  /** The torrent's key (u32): by default a random one for its life. */
  key?: number;
}

const DEFAULT_INTERVAL_S = 1800;
const MIN_INTERVAL_S = 30;
const RETRY_BASE_S = 15;
const NUMWANT = 80;
/** An early announce (few peers) waits at least this long, or the tracker's `min interval` if longer. */
const EARLY_ANNOUNCE_FLOOR_S = 60;
const SCRAPE_INTERVAL_MS = 30 * 60_000;
/** A `stopped` announce is not worth retransmitting for long. */
const STOPPED_TIMEOUT_MS = 5_000;

interface TrackerEntry {
  client: TrackerClient;
  status: TrackerStatus;
  /** It answered a `started` this run, so it is owed a `stopped`. */
  started: boolean;
}

interface Tier {
  trackers: TrackerTier<TrackerEntry>;
  timer?: ReturnType<typeof setTimeout>;
  /** The run whose announce is in flight, if any. */
  busyRun?: number;
  failures: number;
  lastAnnounceAt?: number;
  minIntervalS?: number;
  /** An event asked for while an announce was in flight: sent when it is done. */
  pendingEvent?: AnnounceEvent;
}

/**
 * Announces one torrent to its trackers (HTTP or UDP, through the gateway) and hands the peers it
 * learns to `onPeers`. BEP 12: each tier is announced to one tracker at a time, in the tier's order;
 * every tier is (as libtorrent's announce_to_all_tiers). A flat list of clients (a magnet link's
 * `tr`s) is one tier each. Trackers are scraped after their first answer and every 30 minutes.
 */
export class Announcer {
  private readonly tiers: Tier[];
  private readonly key: number;
  private stopped = true;
  /** Counts runs: an answer that arrives after stop() belongs to an older run. */
  private run = 0;
  private abort = new AbortController();
  private scrapeTimer?: ReturnType<typeof setInterval>;

  constructor(
    tiers: readonly (TrackerClient | readonly TrackerClient[])[],
    private readonly infoHash: Uint8Array,
    private readonly peerId: Uint8Array,
    private readonly port: () => number,
    private readonly state: () => AnnounceState,
    private readonly onPeers: (peers: PeerAddress[]) => void,
    options: AnnouncerOptions = {},
  ) {
    this.key = options.key ?? crypto.getRandomValues(new Uint32Array(1))[0]!;
    this.tiers = tiers.map((clients, tier) => {
      const entries = (Array.isArray(clients) ? clients : [clients]).map((client: TrackerClient) =>
        ({ client, status: { url: client.url, tier, peers: 0 }, started: false }));
      return { trackers: new TrackerTier(entries, options.random), failures: 0 };
    });
  }

  get statuses(): TrackerStatus[] {
    return this.tiers.flatMap((tier) => tier.trackers.members.map((t) => ({ ...t.status })));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    for (const tier of this.tiers) void this.announce(tier);
    this.scrapeTimer = setInterval(() => this.scrapeAll(), SCRAPE_INTERVAL_MS);
  }

  completed(): void {
    if (this.stopped) return;
    for (const tier of this.tiers) void this.announce(tier, 'completed');
  }

  /** The gateway link came back: tiers whose last announce failed are asked again now. */
  retryFailed(): void {
    if (this.stopped) return;
    for (const tier of this.tiers) if (tier.failures > 0) void this.announce(tier);
  }

  /** More peers wanted: tiers are asked again early, but never before their `min interval`. */
  refresh(now = Date.now()): void {
    if (this.stopped) return;
    for (const tier of this.tiers) {
      if (tier.lastAnnounceAt === undefined || tier.failures > 0) continue;
      const floorS = Math.max(EARLY_ANNOUNCE_FLOOR_S, tier.minIntervalS ?? 0);
      if (now - tier.lastAnnounceAt >= floorS * 1000) void this.announce(tier);
    }
  }

  /** `stopped` to every tracker that answered a `started` this run (BEP 3). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.run++;
    this.abort.abort();
    clearInterval(this.scrapeTimer);
    for (const tier of this.tiers) {
      clearTimeout(tier.timer);
      for (const tracker of tier.trackers.members) if (tracker.started) this.sendStopped(tracker);
    }
  }

  private async announce(tier: Tier, event?: AnnounceEvent): Promise<void> {
    const run = this.run;
    if (tier.busyRun === run) { // the answer in flight reschedules the tier
      tier.pendingEvent = event ?? tier.pendingEvent;
      return;
    }
    clearTimeout(tier.timer);
    tier.busyRun = run;
    try {
      await this.announceTier(tier, run, event);
    } finally {
      if (tier.busyRun === run) tier.busyRun = undefined;
    }
    const pending = tier.pendingEvent;
    tier.pendingEvent = undefined;
    if (pending && run === this.run) await this.announce(tier, pending);
  }

  /** BEP 12: the tier's trackers in order until one answers; it moves to the front. */
  private async announceTier(tier: Tier, run: number, event?: AnnounceEvent): Promise<void> {
    for (const tracker of [...tier.trackers.members]) {
      const sent = tracker.started ? event : 'started';
      let result: AnnounceResult;
      try {
        result = await this.send(tracker, sent, this.abort.signal);
      } catch (error) {
        if (run !== this.run) return;
        tracker.status = { ...tracker.status, error: (error as Error).message };
        continue;
      }
      if (run !== this.run) {
        if (sent === 'started') this.sendStopped(tracker); // it heard of us after we stopped
        return;
      }
      return this.answered(tier, tracker, result, sent);
    }
    if (run !== this.run) return;
    tier.failures++;
    this.schedule(tier, Math.min(DEFAULT_INTERVAL_S, RETRY_BASE_S * 2 ** Math.min(tier.failures, 7)));
  }

  private answered(tier: Tier, tracker: TrackerEntry, result: AnnounceResult, sent?: AnnounceEvent): void {
    const now = Date.now();
    const firstAnswer = !tracker.started;
    if (sent === 'started') tracker.started = true;
    const { downloaded, scrapedAt } = tracker.status;
    tracker.status = {
      url: tracker.status.url, tier: tracker.status.tier, lastAnnounceAt: now, peers: result.peers.length,
      seeders: result.seeders, leechers: result.leechers, downloaded, scrapedAt, warning: result.warning,
    };
    tier.trackers.promote(tracker);
    tier.failures = 0;
    tier.lastAnnounceAt = now;
    tier.minIntervalS = result.minIntervalSeconds;
    // The next regular announce at `interval`, never before `min interval` (BEP 3 extensions).
    this.schedule(tier, Math.max(MIN_INTERVAL_S, result.minIntervalSeconds ?? 0, result.intervalSeconds || DEFAULT_INTERVAL_S));
    this.onPeers(result.peers);
    if (firstAnswer) void this.scrape(tracker);
  }

  private schedule(tier: Tier, seconds: number): void {
    clearTimeout(tier.timer);
    tier.timer = setTimeout(() => void this.announce(tier), seconds * 1000);
  }

  /** Each tier's tracker in use (the one that answered last) is scraped. */
  private scrapeAll(): void {
    for (const tier of this.tiers) {
      const current = tier.trackers.members[0];
      if (current?.started) void this.scrape(current);
    }
  }

  /** A scrape that fails is not an error of the tracker's: many offer none. */
  private async scrape(tracker: TrackerEntry): Promise<void> {
    const run = this.run;
    const counts = await tracker.client.scrape(this.infoHash, this.abort.signal).catch(() => undefined);
    if (!counts || run !== this.run) return;
    tracker.status = { ...tracker.status, ...counts, scrapedAt: Date.now() };
  }

  private sendStopped(tracker: TrackerEntry): void {
    tracker.started = false;
    void this.send(tracker, 'stopped', AbortSignal.timeout(STOPPED_TIMEOUT_MS)).catch(() => {});
  }

  private send(tracker: TrackerEntry, event: AnnounceEvent | undefined, signal: AbortSignal) {
    return tracker.client.announce({
      infoHash: this.infoHash, peerId: this.peerId, port: this.port(), ...this.state(), event,
      numwant: event === 'stopped' ? 0 : NUMWANT, key: this.key, signal,
    });
  }
}
