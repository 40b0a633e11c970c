// Peer exchange, our side (BEP 11): each connected peer that speaks ut_pex hears which dialable
// peers we have, soon after it connects, then once a minute what we gained and lost since. What peers tell us goes
// to the swarm like tracker answers (the torrent does that).
import { MAX_PEX_PEERS, PexFlag, type PexPeer } from '../../../shared/peer-wire/index.ts';
import { transportOf } from '../peer/connection-description.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import type { PeerAddress, StreamKind } from '../transport.ts';
import { keyOf } from './swarm.ts';

export const PEX_INTERVAL_MS = 60_000;

export class PeerExchange {
  /** Per peer: the addresses it has heard from us, by key. */
  private readonly told = new WeakMap<PeerConnection, Map<string, PeerAddress>>();
  private readonly lastToldAt = new WeakMap<PeerConnection, number>();

  /** Called on the torrent's tick: tells each peer whose minute is up. */
  tick(peers: readonly PeerConnection[], now = Date.now()): void {
    const due = peers.filter((peer) => peer.remotePexId !== 0 && !peer.closed && now - (this.lastToldAt.get(peer) ?? -Infinity) >= PEX_INTERVAL_MS);
    if (due.length === 0) return;
    const dialable = new Map<string, { peer: PeerConnection; address: PeerAddress }>();
    for (const peer of peers) {
      const address = peer.dialableAddress;
      if (address) dialable.set(keyOf(address), { peer, address });
    }
    for (const peer of due) {
      if (this.tell(peer, dialable)) this.lastToldAt.set(peer, now);
    }
  }

  /** Sends the peer what changed since our last message to it; false when nothing did. */
  private tell(peer: PeerConnection, dialable: Map<string, { peer: PeerConnection; address: PeerAddress }>): boolean {
    const told = this.told.get(peer) ?? new Map<string, PeerAddress>();
    const added: PexPeer[] = [];
    for (const [key, entry] of dialable) {
      if (entry.peer === peer || told.has(key)) continue;
      if (added.length >= MAX_PEX_PEERS) break; // the rest go in the next round
      added.push({ ...entry.address, flags: pexFlags(entry.peer, transportOf(entry.peer.stream)) });
      told.set(key, entry.address);
    }
    const dropped: PeerAddress[] = [];
    for (const [key, address] of told) {
      if (dialable.has(key)) continue;
      if (dropped.length >= MAX_PEX_PEERS) break;
      dropped.push(address);
      told.delete(key);
    }
    this.told.set(peer, told);
    if (added.length === 0 && dropped.length === 0) return false;
    peer.sendPex({ added, dropped });
    return true;
  }
}

/** What we know of a peer that others may use (BEP 11): a seed, one that takes connections, over uTP. */
function pexFlags(peer: PeerConnection, kind: StreamKind | undefined): number {
  return (peer.bitfield.isComplete ? PexFlag.SEED : 0) | (peer.inbound ? 0 : PexFlag.REACHABLE) | (kind === 'utp' ? PexFlag.UTP : 0);
}
