// Who gets upload slots (BEP 3 choking): the interested peers that give us the most (or, when
// we seed, take the most), plus one optimistic slot that rotates so newcomers get a chance.

export interface ChokeCandidate {
  id: string;
  interested: boolean;
  /** Rate that ranks this peer: their upload to us while leeching, our upload to them when seeding. */
  rate: number;
}

/** Libtorrent's default: 4 slots by rate, 1 optimistic (DEFAULT_UPLOAD_SLOTS in rate-limit/limit-settings.ts). */
export const REGULAR_SLOTS = 4;

export interface SlotSplit {
  regular: number;
  optimistic: number;
}

/** Upload slots (a setting) as regular and optimistic ones: one optimistic from 2 slots on; 0 means no limit. */
export function splitSlots(uploadSlots: number): SlotSplit {
  if (!(uploadSlots > 0)) return { regular: Infinity, optimistic: 0 };
  return uploadSlots === 1 ? { regular: 1, optimistic: 0 } : { regular: uploadSlots - 1, optimistic: 1 };
}

/** Returns the ids to unchoke. `optimistic` is the currently chosen optimistic peer, if any. */
export function chooseUnchoked(peers: ChokeCandidate[], optimistic?: string, regularSlots = REGULAR_SLOTS): Set<string> {
  const interested = peers.filter((p) => p.interested).sort((a, b) => b.rate - a.rate);
  const chosen = new Set(interested.slice(0, regularSlots).map((p) => p.id));
  if (optimistic && interested.some((p) => p.id === optimistic)) chosen.add(optimistic);
  return chosen;
}

/** Picks a new optimistic peer among the interested ones not already unchoked. */
export function pickOptimistic(peers: ChokeCandidate[], unchoked: Set<string>): string | undefined {
  const pool = peers.filter((p) => p.interested && !unchoked.has(p.id));
  return pool.length ? pool[Math.floor(Math.random() * pool.length)]!.id : undefined;
}
