import type { PeerConnection } from '../peer/peer-connection.ts';
import { REGULAR_SLOTS, chooseUnchoked, pickOptimistic } from './choker.ts';

const ROUND_MS = 10_000;
const OPTIMISTIC_ROUNDS = 3;

/** Runs choke rounds over a torrent's peers: a full re-rank every 10 s, free slots filled at once. */
export class Choker {
  private lastRoundAt = 0;
  private rounds = 0;
  private optimistic?: string;

  run(peers: PeerConnection[], seeding: boolean, now = Date.now()): void {
    const unchokedNow = peers.filter((p) => !p.amChoking && p.peerInterested).length;
    const fullRound = now - this.lastRoundAt >= ROUND_MS;
    if (!fullRound && unchokedNow >= REGULAR_SLOTS + 1) return;
    if (fullRound) {
      this.lastRoundAt = now;
      this.rounds++;
    }
    const candidates = peers.filter((p) => p.handshaken && !p.closed).map((p) => ({
      id: p.key,
      interested: p.peerInterested,
      rate: seeding ? p.uploadRate.bytesPerSecond : p.downloadRate.bytesPerSecond,
    }));
    const chosen = chooseUnchoked(candidates); // the regular slots; the optimistic one is added below
    const optimisticGone = !this.optimistic || !candidates.some((c) => c.id === this.optimistic && c.interested);
    if (fullRound && (optimisticGone || this.rounds % OPTIMISTIC_ROUNDS === 0)) this.optimistic = pickOptimistic(candidates, chosen);
    if (this.optimistic) chosen.add(this.optimistic);
    for (const peer of peers) {
      // Between full rounds only add unchokes; never churn a peer that is being served.
      if (!fullRound && !peer.amChoking) continue;
      peer.setChoking(!chosen.has(peer.key));
    }
  }
}
