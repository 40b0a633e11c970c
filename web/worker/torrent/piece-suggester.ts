// BEP 6 SUGGEST_PIECE, our side: when a peer asks for a piece we are not serving already, the piece
// is read from storage; other peers that lack it, may request it (unchoked) and speak the fast
// extension hear it suggested, so their requests come while it is fresh in the read cache (and the
// swarm spreads it). Modest and bounded: a few peers per piece, a budget of suggestions per peer.
import type { PeerConnection } from '../peer/peer-connection.ts';

/** Peers told about one piece, at most. */
const PEERS_PER_PIECE = 2;
/** Suggestions one peer hears over its connection, at most. */
const SUGGESTIONS_PER_PEER = 64;

export class PieceSuggester {
  private readonly told = new WeakMap<PeerConnection, Set<number>>();
  private lastPiece = -1;

  /** `reader` asked for `piece`; its first request of the piece reads it from storage. */
  pieceRequested(piece: number, reader: PeerConnection, peers: Iterable<PeerConnection>): void {
    if (piece === this.lastPiece) return;
    this.lastPiece = piece;
    let suggested = 0;
    for (const peer of peers) {
      if (suggested >= PEERS_PER_PIECE) return;
      if (peer === reader || peer.closed || !peer.fast || peer.amChoking || !peer.peerInterested || peer.bitfield.get(piece)) continue;
      const told = this.told.get(peer) ?? new Set<number>();
      if (told.has(piece) || told.size >= SUGGESTIONS_PER_PEER) continue;
      told.add(piece);
      this.told.set(peer, told);
      peer.sendSuggest(piece);
      suggested++;
    }
  }
}
