// What a Torrent is given by the engine (the gateway link, sockets, storage, settings, callbacks)
// and the plain types it shares with the engine and its record, apart from the class itself.
import type { Transport, PeerAddress } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import type { DhtNode } from '../dht/dht-node.ts';
import type { TorrentStorage } from '../piece-store.ts';
import type { EncryptionMode } from '../peer/encryption-mode.ts';
import type { GlobalLimits } from '../rate-limit/global-limits.ts';
import type { Torrent } from './torrent.ts';

export interface TorrentContext {
  /**
   * The gateway link now (a live reference: links drop and come back while the torrent lives);
   * undefined while it is down.
   */
  transport: () => Transport | undefined;
  /** The tab's UDP socket (UDP trackers, DHT). */
  udp: () => UdpService;
  /** The tab's DHT node, when the DHT is on. */
  dht?: () => DhtNode | undefined;
  /** This torrent's storage: its pieces, and where failed writes and wake-ups come from. */
  storage: TorrentStorage;
  peerId: Uint8Array;
  /** The port peers can reach us on (the gateway's inbound listener), 0 if none. */
  listenPort: () => number;
  /** Extra peers to dial (tests, magnet x.pe). */
  initialPeers?: PeerAddress[];
  /** Called whenever the durable state changed (verified pieces, completion). */
  onStateChanged?: (torrent: Torrent) => void;
  /** A peer (by its IP) says it sees us at `address` (BEP 10 `yourip`). */
  onAddressReported?: (voter: string, address: string) => void;
  onWarning?: (torrent: Torrent, message: string) => void;
  /** The peer encryption setting now (the engine's; it may change while the torrent runs). */
  encryption?: () => EncryptionMode;
  /** The tab's global limits (rate limits, upload slots, seeding goals); none: the defaults. */
  limits?: GlobalLimits;
  /** A stop-seeding goal was reached (`reason` says which): the engine pauses the torrent. */
  onSeedingGoalReached?: (torrent: Torrent, reason: string) => void;
}

export type TorrentState = 'stopped' | 'downloading' | 'seeding' | 'error';

/** Lifetime totals a torrent carries over reloads (its record keeps them). */
export interface TorrentTotals {
  downloadedBytes: number;
  uploadedBytes: number;
  wastedBytes: number;
}
