// Choking (BEP 3): chooseUnchoked / pickOptimistic, and the Choker's rounds over peer connections.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import { Choker } from '../../../../web/worker/torrent/choke-round.ts';
import { REGULAR_SLOTS, chooseUnchoked, pickOptimistic, splitSlots, type ChokeCandidate } from '../../../../web/worker/torrent/choker.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const candidate = (id: string, rate: number, interested = true): ChokeCandidate => ({ id, rate, interested });

describe('chooseUnchoked', () => {
  it('gives the 4 regular slots to the best rates among interested peers', () => {
    expect(REGULAR_SLOTS).toBe(4);
    const peers = [
      candidate('a', 10), candidate('b', 50), candidate('c', 30), candidate('d', 5),
      candidate('e', 40), candidate('f', 1000, false), candidate('g', 20),
    ];
    expect([...chooseUnchoked(peers)].sort()).toEqual(['b', 'c', 'e', 'g']);
  });

  it('adds the optimistic peer on top while it is interested', () => {
    const peers = [candidate('a', 10), candidate('b', 50), candidate('c', 30), candidate('d', 5), candidate('e', 40), candidate('f', 1, false)];
    const chosen = chooseUnchoked(peers, 'd');
    expect(chosen.size).toBe(5);
    expect(chosen.has('d')).toBe(true);
    expect(chooseUnchoked(peers, 'f').has('f')).toBe(false);
  });

  it('unchokes every interested peer when there are fewer than 4', () => {
    expect([...chooseUnchoked([candidate('a', 0), candidate('b', 0, false)])]).toEqual(['a']);
  });
});

describe('pickOptimistic', () => {
  it('picks among interested peers that are not already unchoked', () => {
    const peers = [candidate('a', 10), candidate('b', 0), candidate('c', 0, false), candidate('d', 0)];
    const seen = new Set<string>();
    for (const r of [0, 0.5, 0.99]) {
      vi.spyOn(Math, 'random').mockReturnValue(r);
      seen.add(pickOptimistic(peers, new Set(['a']))!);
    }
    expect([...seen].sort()).toEqual(['b', 'd']);
    expect(pickOptimistic(peers, new Set(['a', 'b', 'd']))).toBeUndefined();
  });
});

/** A stand-in with just what the Choker reads and calls. */
function fakePeer(key: string, rate: number, interested = true) {
  const peer = {
    key, handshaken: true, closed: false, amChoking: true, peerInterested: interested,
    downloadRate: { bytesPerSecond: rate }, uploadRate: { bytesPerSecond: rate * 2 },
    setChoking(choking: boolean) { peer.amChoking = choking; },
  };
  return peer;
}

const unchoked = (peers: ReturnType<typeof fakePeer>[]) => peers.filter((p) => !p.amChoking).map((p) => p.key).sort();

describe('Choker rounds', () => {
  it('unchokes the 4 fastest interested peers plus an optimistic one, re-ranks every 10 s, rotates the optimistic slot every third round', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const peers = ['a', 'b', 'c', 'd', 'e', 'f'].map((key, i) => fakePeer(key, 100 - i * 10));
    const choker = new Choker();
    const run = (now: number) => choker.run(peers as unknown as PeerConnection[], false, now);
    run(10_000); // round 1: the 4 fastest, and e as the first optimistic peer (Math.random → first of e, f)
    expect(unchoked(peers)).toEqual(['a', 'b', 'c', 'd', 'e']);
    peers[5]!.downloadRate.bytesPerSecond = 1000;
    run(15_000); // between full rounds with every slot taken: nothing changes
    expect(unchoked(peers)).toEqual(['a', 'b', 'c', 'd', 'e']);
    run(20_000); // round 2: f, now fastest, replaces d; e keeps the optimistic slot
    expect(unchoked(peers)).toEqual(['a', 'b', 'c', 'e', 'f']);
    run(30_000); // round 3: the optimistic slot rotates to the first of d, e
    expect(unchoked(peers)).toEqual(['a', 'b', 'c', 'd', 'f']);
  });

  it('ranks by upload rate while seeding and ignores peers not yet handshaken', () => {
    const peers = ['a', 'b', 'c', 'd', 'e'].map((key) => fakePeer(key, 0));
    peers.forEach((p, i) => { p.uploadRate.bytesPerSecond = i * 10; });
    peers[4]!.handshaken = false;
    new Choker().run(peers as unknown as PeerConnection[], true, 10_000);
    expect(unchoked(peers)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('chokes a peer that lost interest at the next full round', () => {
    const peers = ['a', 'b'].map((key) => fakePeer(key, 10));
    const choker = new Choker();
    choker.run(peers as unknown as PeerConnection[], false, 10_000);
    expect(unchoked(peers)).toEqual(['a', 'b']);
    peers[0]!.peerInterested = false;
    choker.run(peers as unknown as PeerConnection[], false, 20_000);
    expect(unchoked(peers)).toEqual(['b']);
  });

  it('uses the upload slots setting: N slots unchoke N peers (one optimistic from 2 on), 0 unchokes every interested peer', () => {
    expect(splitSlots(5)).toEqual({ regular: 4, optimistic: 1 });
    expect(splitSlots(1)).toEqual({ regular: 1, optimistic: 0 });
    expect(splitSlots(0)).toEqual({ regular: Infinity, optimistic: 0 });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    for (const [slots, expected] of [[2, 2], [3, 3], [8, 8], [1, 1], [0, 10]] as const) {
      const peers = keys.map((key, i) => fakePeer(key, 100 - i));
      new Choker().run(peers as unknown as PeerConnection[], false, 10_000, slots);
      expect(unchoked(peers).length, `${slots} slots`).toBe(expected);
      if (slots === 3) expect(unchoked(peers)).toEqual(['a', 'b', 'c']); // 2 by rate + the first of the rest
    }
  });

  it('takes a lower slot count at once when told (forceRound), not at the next 10 s round', () => {
    const peers = ['a', 'b', 'c', 'd', 'e'].map((key, i) => fakePeer(key, 100 - i));
    const choker = new Choker();
    choker.run(peers as unknown as PeerConnection[], false, 10_000, 5);
    expect(unchoked(peers).length).toBe(5);
    choker.forceRound();
    choker.run(peers as unknown as PeerConnection[], false, 11_000, 2);
    expect(unchoked(peers).length).toBe(2);
  });
});
