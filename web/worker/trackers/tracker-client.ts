import type { AnnounceEvent } from '../../../shared/tracker/http.ts';
import type { PeerAddress } from '../transport.ts';

export interface AnnounceRequest {
  infoHash: Uint8Array;
  peerId: Uint8Array;
  port: number;
  uploaded: number;
  downloaded: number;
  left: number;
  event?: AnnounceEvent;
  numwant: number;
  /** The torrent's `key` (BEP 7, BEP 15): a random u32, the same for its whole life. */
  key: number;
  /** Aborts retransmissions (BEP 15) when the torrent stops. */
  signal?: AbortSignal;
}

export interface AnnounceResult {
  intervalSeconds: number;
  minIntervalSeconds?: number;
  peers: PeerAddress[];
  seeders?: number;
  leechers?: number;
  /** The tracker's `warning message`: it answered, but has something to say. */
  warning?: string;
}

/** One torrent's counts at a tracker (BEP 48 scrape over HTTP, BEP 15 action 2 over UDP). */
export interface ScrapeResult {
  seeders: number;
  leechers: number;
  /** Completed downloads ever. */
  downloaded: number;
}

/** One tracker, whatever its protocol. Throws an Error with a readable message on failure. */
export interface TrackerClient {
  readonly url: string;
  announce(request: AnnounceRequest): Promise<AnnounceResult>;
  /** Undefined when the tracker offers no scrape (an HTTP URL not ending in `announce…`). */
  scrape(infoHash: Uint8Array, signal?: AbortSignal): Promise<ScrapeResult | undefined>;
}

/** The HTTP form of the key: 8 hex digits. */
export function keyText(key: number): string {
  return (key >>> 0).toString(16).padStart(8, '0');
}
