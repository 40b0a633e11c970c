// What a torrent asks each peer for: a peer's pipeline filled from the picker (its fastest peers
// may take duplicates of urgent deadline blocks; one that chokes us, only what it allows us,
// BEP 6), blocks given back when a peer chokes or goes, and, when a reader jumps, what peers have
// queued for others cancelled so the reader's pieces are not behind it.
import { Bitfield } from '../../../shared/bitfield.ts';
import type { BlockRef } from '../../../shared/peer-wire/index.ts';
import type { PiecePicker } from '../../../shared/piece-picker/index.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';

/** Requests a peer keeps when a reader jumps: the oldest, likely being sent already. */
const REQUESTS_KEPT_ON_JUMP = 4;
/** When a reader jumps, requests for the pieces of these first ranks of its window stay. */
const RANKS_KEPT_ON_JUMP = 4;
/** How many of the fastest peers may take duplicate requests for urgent deadline pieces. */
const FAST_PEER_COUNT = 3;

export class PeerRequests {
  /** The peers sending to us fastest, as of the last rankFastest. */
  private fastPeers = new Set<PeerConnection>();

  constructor(private readonly picker: PiecePicker, private readonly pieceCount: number) {}

  /** Fills the peer's pipeline, if it has room and something we want to ask it for. */
  /** `budget`: requests the torrent may still add (its download limit's share), none by default. */
  fill(peer: PeerConnection, budget = Infinity): void {
    if (!peer.amInterested || peer.closed) return;
    if (peer.peerChoking && peer.allowedFast.size === 0) return;
    const slots = Math.min(peer.requestSlots, budget);
    if (slots <= 0) return;
    const has = peer.peerChoking ? allowedWhileChoked(peer, this.pieceCount) : peer.bitfield;
    for (const block of this.picker.pickBlocks(has, slots, { peer, fast: this.fastPeers.has(peer), suggested: peer.suggested })) peer.request(block);
  }

  /** Blocks a peer will not send (it choked us or went): the picker may ask others. */
  giveBack(peer: PeerConnection, blocks: readonly BlockRef[]): void {
    for (const block of blocks) this.picker.cancelRequest(block, peer);
  }

  /** Called on the torrent's tick: which peers count as fast until the next one. */
  rankFastest(peers: Iterable<PeerConnection>): void {
    const sending = [...peers].filter((peer) => peer.downloadRate.bytesPerSecond > 0);
    sending.sort((a, b) => b.downloadRate.bytesPerSecond - a.downloadRate.bytesPerSecond);
    this.fastPeers = new Set(sending.slice(0, FAST_PEER_COUNT));
  }

  /**
   * A reader jumped (Play, a seek): requests queued at peers for anything but the first pieces
   * readers wait for are cancelled, but for the oldest few (likely on the wire already), so those
   * pieces are requested now rather than behind them. A slow peer's queue holds seconds of its rate.
   */
  cancelQueuedForOthers(peers: Iterable<PeerConnection>): void {
    for (const peer of peers) {
      for (const block of peer.requests.list().slice(REQUESTS_KEPT_ON_JUMP)) {
        const rank = this.picker.deadlineOf(block.piece);
        if (rank !== undefined && rank < RANKS_KEPT_ON_JUMP) continue;
        peer.cancel(block);
        this.picker.cancelRequest(block, peer);
      }
    }
  }
}

/** BEP 6: what a peer that chokes us still lets us request, of what it has. */
function allowedWhileChoked(peer: PeerConnection, pieceCount: number): Bitfield {
  const allowed = new Bitfield(pieceCount);
  for (const piece of peer.allowedFast) if (peer.bitfield.get(piece)) allowed.set(piece);
  return allowed;
}
