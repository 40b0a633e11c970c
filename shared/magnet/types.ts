// A parsed magnet link (BEP 9), with BEP 53 file selection and BEP 52 v2 hashes.

export interface MagnetPeer {
  host: string;
  port: number;
}

export interface MagnetLink {
  /** v1 info-hash (xt=urn:btih:), 20 bytes. */
  infoHash?: Uint8Array;
  infoHashHex?: string;
  /** v2 info-hash (xt=urn:btmh:1220…): the SHA-256 digest as 64 lower-case hex characters. */
  v2InfoHash?: string;
  displayName?: string;
  /** Tracker URLs (tr), http/https/udp/ws/wss only, deduplicated, in order. */
  trackers: string[];
  /** BEP 19 web seeds (ws). */
  webSeeds: string[];
  /** Peers to contact directly (x.pe), IPv6 hosts without brackets. */
  peers: MagnetPeer[];
  /** BEP 53 `so`: file indices to download, sorted, deduplicated. */
  selectOnly?: number[];
}
