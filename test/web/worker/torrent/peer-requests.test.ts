// PeerRequests: what a torrent asks one peer for, with a real picker and scripted peers.
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import type { BlockRef } from '../../../../shared/peer-wire/index.ts';
import { PiecePicker } from '../../../../shared/piece-picker/index.ts';
import type { PeerConnection } from '../../../../web/worker/peer/peer-connection.ts';
import { PeerRequests } from '../../../../web/worker/torrent/peer-requests.ts';

const PIECES = 8;
const BLOCK = 16384;

function setUp() {
  const picker = new PiecePicker({ pieceCount: PIECES, pieceLength: BLOCK, totalLength: PIECES * BLOCK });
  picker.addPeerBitfield(Bitfield.full(PIECES));
  return { picker, requests: new PeerRequests(picker, PIECES) };
}

function fakePeer(options: { choking?: boolean; allowedFast?: number[]; queued?: BlockRef[]; rate?: number } = {}) {
  const requested: BlockRef[] = [];
  const cancelled: BlockRef[] = [];
  const queued = [...(options.queued ?? [])];
  const peer = {
    amInterested: true, closed: false, peerChoking: options.choking ?? false,
    allowedFast: new Set(options.allowedFast ?? []), requestSlots: 4, bitfield: Bitfield.full(PIECES),
    downloadRate: { bytesPerSecond: options.rate ?? 0 },
    requests: { list: () => [...queued] },
    request: (block: BlockRef) => requested.push(block),
    cancel: (block: BlockRef) => cancelled.push(block),
  };
  return { peer: peer as unknown as PeerConnection, requested, cancelled };
}

const block = (piece: number): BlockRef => ({ piece, offset: 0, length: BLOCK });

describe('PeerRequests', () => {
  it('asks a peer that chokes us only for the pieces it allows (BEP 6), and one without any for nothing', () => {
    const { requests } = setUp();
    const allowing = fakePeer({ choking: true, allowedFast: [3, 6] });
    requests.fill(allowing.peer);
    expect(allowing.requested.map((b) => b.piece).sort()).toEqual([3, 6]);
    const choking = fakePeer({ choking: true });
    requests.fill(choking.peer);
    expect(choking.requested).toEqual([]);
  });

  it('on a reader\u2019s jump cancels what peers queued beyond the oldest four, but for its first ranks', () => {
    const { picker, requests } = setUp();
    const { peer, cancelled } = fakePeer({ queued: [0, 1, 2, 3, 4, 5, 6, 7].map(block) });
    picker.setDeadlines('player', [6, 7, 0, 1, 5]); // ranks: 6→0, 7→1, 0→2, 1→3, 5→4
    requests.cancelQueuedForOthers([peer]);
    // 0–3 kept (the oldest four), 6 and 7 kept (ranks 0 and 1), 4 (no deadline) and 5 (rank 4) cancelled.
    expect(cancelled.map((b) => b.piece)).toEqual([4, 5]);
  });

  it('lets only its fastest peers duplicate urgent deadline blocks', () => {
    const { picker, requests } = setUp();
    picker.setDeadlines('player', [2]);
    const first = fakePeer({ rate: 100 });
    requests.fill(first.peer); // takes piece 2's only block, then others
    expect(first.requested[0]).toEqual(block(2));
    const slow = fakePeer({ rate: 0 });
    const fast = fakePeer({ rate: 5000 });
    requests.rankFastest([first.peer, slow.peer, fast.peer]);
    requests.fill(slow.peer);
    requests.fill(fast.peer);
    expect(slow.requested.some((b) => b.piece === 2)).toBe(false);
    expect(fast.requested[0]).toEqual(block(2));
  });
});
