// The peers announced to us (BEP 5 announce_peer), answered to get_peers. Bounded: peers expire
// after 30 minutes, at most MAX_PEERS_PER_INFO_HASH per torrent (the oldest go first) and at most
// MAX_INFO_HASHES torrents (the least recently announced go first). Pure: the caller passes the time.

import { toHex } from '../hex.ts';
import type { PeerAddress } from '../tracker/peers.ts';

export const PEER_TTL_MS = 30 * 60_000;
export const MAX_PEERS_PER_INFO_HASH = 100;
export const MAX_INFO_HASHES = 1000;

interface StoredPeer {
  peer: PeerAddress;
  expiresMs: number;
}

export interface PeerStoreLimits {
  readonly peersPerInfoHash?: number;
  readonly infoHashes?: number;
}

export class PeerStore {
  /** Insertion order is recency order: re-announcing moves an entry to the end. */
  private readonly torrents = new Map<string, Map<string, StoredPeer>>();
  private readonly peersPerInfoHash: number;
  private readonly infoHashes: number;

  constructor(limits: PeerStoreLimits = {}) {
    this.peersPerInfoHash = limits.peersPerInfoHash ?? MAX_PEERS_PER_INFO_HASH;
    this.infoHashes = limits.infoHashes ?? MAX_INFO_HASHES;
  }

  get infoHashCount(): number {
    return this.torrents.size;
  }

  add(infoHash: Uint8Array, peer: PeerAddress, nowMs: number): void {
    const key = toHex(infoHash);
    let peers = this.torrents.get(key);
    if (peers) this.torrents.delete(key);
    peers ??= new Map();
    this.torrents.set(key, peers);
    const peerKey = `${peer.host}:${peer.port}`;
    peers.delete(peerKey);
    peers.set(peerKey, { peer: { host: peer.host, port: peer.port }, expiresMs: nowMs + PEER_TTL_MS });
    if (peers.size > this.peersPerInfoHash) peers.delete(peers.keys().next().value!);
    if (this.torrents.size > this.infoHashes) this.torrents.delete(this.torrents.keys().next().value!);
  }

  /** Up to `max` unexpired peers, most recent first. */
  get(infoHash: Uint8Array, nowMs: number, max: number): PeerAddress[] {
    const key = toHex(infoHash);
    const peers = this.torrents.get(key);
    if (!peers) return [];
    for (const [peerKey, stored] of peers) if (stored.expiresMs <= nowMs) peers.delete(peerKey);
    if (peers.size === 0) {
      this.torrents.delete(key);
      return [];
    }
    return [...peers.values()].reverse().slice(0, max).map((s) => s.peer);
  }
}
