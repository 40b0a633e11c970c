import type { PeerConnection } from '../peer/peer-connection.ts';
import { chooseUnchoked, pickOptimistic, splitSlots } from './choker.ts';
import { DEFAULT_UPLOAD_SLOTS } from '../rate-limit/limit-settings.ts';

const ROUND_MS = 10_000;
const OPTIMISTIC_ROUNDS = 3;

/** Runs choke rounds over a torrent's peers: a full re-rank every 10 s, free slots filled at once. */
export class Choker {
  private lastRoundAt = 0;
  private rounds = 0;
  private optimistic?: string;

  /** The slot count changed: the next run is a full round (fewer slots choke at once). */
  forceRound(): void {
    this.lastRoundAt = 0;
  }

  /** `uploadSlots`: peers unchoked at once (a setting; 0: every interested peer). */
  run(peers: PeerConnection[], seeding: boolean, now = Date.now(), uploadSlots = DEFAULT_UPLOAD_SLOTS): void {
    const slots = splitSlots(uploadSlots);
    const unchokedNow = peers.filter((p) => !p.amChoking && p.peerInterested).length;
    const fullRound = now - this.lastRoundAt >= ROUND_MS;
    if (!fullRound && unchokedNow >= slots.regular + slots.optimistic) return;
    if (fullRound) {
      this.lastRoundAt = now;
      this.rounds++;
    }
    const candidates = peers.filter((p) => p.handshaken && !p.closed).map((p) => ({
      id: p.key,
      interested: p.peerInterested,
      rate: seeding ? p.uploadRate.bytesPerSecond : p.downloadRate.bytesPerSecond,
    }));
    const chosen = chooseUnchoked(candidates, undefined, slots.regular); // the optimistic one is added below
    const optimisticGone = !this.optimistic || !candidates.some((c) => c.id === this.optimistic && c.interested);
    if (slots.optimistic === 0) this.optimistic = undefined;
    else if (fullRound && (optimisticGone || this.rounds % OPTIMISTIC_ROUNDS === 0)) this.optimistic = pickOptimistic(candidates, chosen);
    if (this.optimistic) chosen.add(this.optimistic);
    for (const peer of peers) {
      // Between full rounds only add unchokes; never churn a peer that is being served.
      if (!fullRound && !peer.amChoking) continue;
      peer.setChoking(!chosen.has(peer.key));
    }
  }
}
