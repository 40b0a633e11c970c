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
}

export interface AnnounceResult {
  intervalSeconds: number;
  minIntervalSeconds?: number;
  peers: PeerAddress[];
  seeders?: number;
  leechers?: number;
}

/** One tracker, whatever its protocol. Throws an Error with a readable message on failure. */
export interface TrackerClient {
  readonly url: string;
  announce(request: AnnounceRequest): Promise<AnnounceResult>;
}
