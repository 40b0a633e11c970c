import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../shared/bitfield.ts';
import { PiecePickerError } from '../../../shared/piece-picker/geometry.ts';
import { PiecePicker } from '../../../shared/piece-picker/picker.ts';
import { BLOCK, bitfield, buildPicker, pickedPieces, seededRandom } from './scenario.ts';

describe('PiecePicker: which pieces', () => {
  it('picks the rarest piece first', () => {
    const picker = buildPicker({ availability: '3213332', blocksPerPiece: 1 });
    const picks = picker.pickBlocks(bitfield('1111111'), 3);
    expect(picks[0]!.piece).toBe(2);
    expect(new Set(pickedPieces(picks.slice(1)))).toEqual(new Set([1, 6]));
  });

  it('only picks pieces the peer has', () => {
    const picker = buildPicker({ availability: '1311', blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield(' *  '), 4))).toEqual([1]);
  });

  it('never picks pieces we have', () => {
    const picker = buildPicker({ availability: '1111', have: '* * ', blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111'), 10)).sort()).toEqual([1, 3]);
  });

  it('picks a piece again once it is set missing (storage lost it), and is no longer complete', () => {
    const picker = buildPicker({ availability: '1111', have: '****', blocksPerPiece: 1 });
    expect(picker.isComplete).toBe(true);
    picker.setMissing(2);
    expect(picker.hasPiece(2)).toBe(false);
    expect(picker.isComplete).toBe(false);
    expect(pickedPieces(picker.pickBlocks(bitfield('1111'), 10))).toEqual([2]);
  });

  it('never picks unwanted pieces, even in endgame', () => {
    const picker = buildPicker({ availability: '1111', priority: '0404', blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111'), 10, { peer: 'a' })).sort()).toEqual([1, 3]);
    expect(picker.isEndgame).toBe(true);
    expect(pickedPieces(picker.pickBlocks(bitfield('1111'), 10, { peer: 'b' })).sort()).toEqual([1, 3]);
  });

  it('prefers higher priority over rarity', () => {
    const picker = buildPicker({ availability: '1333', priority: '1474', blocksPerPiece: 1 });
    const order = pickedPieces(picker.pickBlocks(bitfield('1111'), 4));
    expect(order[0]).toBe(2);
    expect(new Set(order.slice(1, 3))).toEqual(new Set([1, 3]));
    expect(order[3]).toBe(0);
  });

  it('breaks ties at random', () => {
    const firsts = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const picker = buildPicker({ availability: '1'.repeat(64), seed });
      firsts.add(picker.pickBlocks(bitfield('1'.repeat(64)), 1)[0]!.piece);
    }
    expect(firsts.size).toBeGreaterThan(10);
  });

  it('a piece that became wanted again is picked; setWanted(false) stops it', () => {
    const picker = buildPicker({ availability: '11', blocksPerPiece: 1 });
    picker.setWanted(0, false);
    picker.setWanted(1, false);
    expect(picker.pickBlocks(bitfield('11'), 2)).toEqual([]);
    expect(picker.isComplete).toBe(true);
    picker.setWanted(1, true);
    expect(pickedPieces(picker.pickBlocks(bitfield('11'), 2))).toEqual([1]);
  });
});

describe('PiecePicker: blocks of pieces in progress', () => {
  it('finishes a partially downloaded piece before starting a new one', () => {
    const picker = buildPicker({ availability: '2111' });
    const first = picker.pickBlocks(bitfield('11  '), 1, { peer: 'a' });
    expect(first).toEqual([{ piece: 1, offset: 0, length: BLOCK }]);
    const next = picker.pickBlocks(bitfield('1111'), 4, { peer: 'b' });
    expect(next.slice(0, 3)).toEqual([1, 2, 3].map((block) => ({ piece: 1, offset: block * BLOCK, length: BLOCK })));
    expect(next[3]!.piece).not.toBe(1);
  });

  it('limits pieces in progress, but never leaves a peer with nothing', () => {
    const picker = buildPicker({ availability: '1111', maxPartialPieces: 2 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1   '), 8, { peer: 'a' }))).toEqual([0]);
    expect(pickedPieces(picker.pickBlocks(bitfield(' 1  '), 8, { peer: 'b' }))).toEqual([1]);
    const third = picker.pickBlocks(bitfield('  11'), 8, { peer: 'c' });
    expect(third).toHaveLength(4); // one new piece despite the cap, not two
    expect(picker.partialPieceCount).toBe(3);
  });

  it('a cancelled request returns its block to the pool', () => {
    const picker = buildPicker({ availability: '11' });
    const blocks = picker.pickBlocks(bitfield('1 '), 4, { peer: 'a' });
    picker.cancelRequest(blocks[2]!, 'a');
    expect(picker.pickBlocks(bitfield('1 '), 4, { peer: 'b' })).toEqual([blocks[2]]);
  });

  it('a piece with every request cancelled rejoins rarest-first', () => {
    const picker = buildPicker({ availability: '11', blocksPerPiece: 2 });
    const blocks = picker.pickBlocks(bitfield('11'), 2, { peer: 'a' });
    for (const block of blocks) picker.cancelRequest(block, 'a');
    expect(picker.partialPieceCount).toBe(0);
  });

  it('marks blocks received and reports a fully received piece', () => {
    const picker = buildPicker({ availability: '1', blocksPerPiece: 2 });
    const blocks = picker.pickBlocks(bitfield('1'), 2);
    expect(picker.markReceived(blocks[0]!)).toEqual({ accepted: true, cancelFrom: [] });
    expect(picker.isPieceFullyReceived(0)).toBe(false);
    picker.markReceived(blocks[1]!);
    expect(picker.isPieceFullyReceived(0)).toBe(true);
    expect(picker.markReceived(blocks[1]!).accepted).toBe(false); // duplicate
    picker.pieceComplete(0);
    expect(picker.isComplete).toBe(true);
    expect(picker.markReceived(blocks[0]!).accepted).toBe(false); // piece is ours already
  });

  it('re-picks every block of a piece that failed verification', () => {
    const picker = buildPicker({ availability: '1', blocksPerPiece: 3 });
    const blocks = picker.pickBlocks(bitfield('1'), 3, { peer: 'a' });
    for (const block of blocks) picker.markReceived(block, 'a');
    expect(picker.pickBlocks(bitfield('1'), 3, { peer: 'b' })).toEqual([]);
    picker.pieceFailed(0);
    expect(picker.pickBlocks(bitfield('1'), 3, { peer: 'b' })).toEqual(blocks);
  });

  it('offers every block of an abandoned piece again, received ones included (torrent stopped mid-piece)', () => {
    const picker = buildPicker({ availability: '1', blocksPerPiece: 3 });
    const blocks = picker.pickBlocks(bitfield('1'), 3, { peer: 'a' });
    picker.markReceived(blocks[0]!, 'a');
    picker.cancelRequest(blocks[1]!, 'a');
    picker.cancelRequest(blocks[2]!, 'a');
    // One block is held as received: without the reset only the other two would come back.
    expect(picker.pickBlocks(bitfield('1'), 3, { peer: 'b' })).toHaveLength(2);
    picker.pieceAbandoned(0);
    expect(picker.pickBlocks(bitfield('1'), 3, { peer: 'c' })).toEqual(blocks);
  });

  it('accepts a block that arrives after its request was cancelled', () => {
    const picker = buildPicker({ availability: '1', blocksPerPiece: 2 });
    const [block] = picker.pickBlocks(bitfield('1'), 1, { peer: 'a' });
    picker.cancelRequest(block!, 'a');
    expect(picker.markReceived(block!, 'a').accepted).toBe(true);
    expect(picker.pickBlocks(bitfield('1'), 2)).toEqual([{ piece: 0, offset: BLOCK, length: BLOCK }]);
  });

  it('ignores blocks that do not match the geometry', () => {
    const picker = buildPicker({ availability: '1' });
    picker.pickBlocks(bitfield('1'), 1);
    expect(picker.markReceived({ piece: 0, offset: 100, length: BLOCK }).accepted).toBe(false);
    expect(picker.markReceived({ piece: 0, offset: 0, length: 5 }).accepted).toBe(false);
    expect(picker.markReceived({ piece: 9, offset: 0, length: BLOCK }).accepted).toBe(false);
  });

  it('sizes the last block and the last piece from totalLength', () => {
    const picker = new PiecePicker({ pieceLength: 40000, totalLength: 90000, random: seededRandom(1) });
    expect(picker.pieceCount).toBe(3);
    const all = Bitfield.full(3);
    picker.addPeerBitfield(all);
    const picks = picker.pickBlocks(all, 100);
    const lengths = new Map(pickedPieces(picks).map((piece) => [piece, picks.filter((b) => b.piece === piece).map((b) => b.length)]));
    expect(lengths.get(0)).toEqual([BLOCK, BLOCK, 40000 - 2 * BLOCK]);
    expect(lengths.get(2)).toEqual([10000]);
  });
});

describe('PiecePicker: endgame', () => {
  it('hands already-requested blocks to other peers once everything is requested', () => {
    const picker = buildPicker({ availability: '22', blocksPerPiece: 2 });
    const a = picker.pickBlocks(bitfield('11'), 4, { peer: 'a' });
    expect(a).toHaveLength(4);
    expect(picker.isEndgame).toBe(true);
    const b = picker.pickBlocks(bitfield('11'), 2, { peer: 'b' });
    expect(b).toHaveLength(2);
    expect(a).toEqual(expect.arrayContaining(b));
    expect(picker.pickBlocks(bitfield('11'), 4, { peer: 'a' })).toEqual([]); // never twice to one peer
    expect(picker.markReceived(b[0]!, 'b')).toEqual({ accepted: true, cancelFrom: ['a'] });
  });

  it('hands out the blocks with the fewest requesters first', () => {
    const picker = buildPicker({ availability: '3', blocksPerPiece: 2 });
    picker.pickBlocks(bitfield('1'), 2, { peer: 'a' });
    const b = picker.pickBlocks(bitfield('1'), 1, { peer: 'b' });
    const c = picker.pickBlocks(bitfield('1'), 1, { peer: 'c' });
    expect(c).not.toEqual(b);
  });

  it('is not endgame while some wanted piece is unstarted, unless forced', () => {
    const picker = buildPicker({ availability: '11', blocksPerPiece: 1 });
    const a = picker.pickBlocks(bitfield('1 '), 1, { peer: 'a' });
    expect(picker.isEndgame).toBe(false);
    expect(picker.pickBlocks(bitfield('1 '), 1, { peer: 'b' })).toEqual([]);
    expect(picker.pickBlocks(bitfield('1 '), 1, { peer: 'b', endgame: true })).toEqual(a);
  });
});

describe('PiecePicker: availability', () => {
  it('adds and removes peer bitfields and haves', () => {
    const picker = buildPicker({ availability: '000' });
    picker.addPeerBitfield(bitfield('101'));
    picker.addPeerHave(1);
    expect([0, 1, 2].map((i) => picker.availabilityOf(i))).toEqual([1, 1, 1]);
    picker.removePeerBitfield(bitfield('101'));
    expect([0, 1, 2].map((i) => picker.availabilityOf(i))).toEqual([0, 1, 0]);
    expect(() => picker.removePeerHave(0)).toThrow(PiecePickerError);
    expect(() => picker.addPeerBitfield(bitfield('1111'))).toThrow(/4 pieces/);
  });

  it('rejects geometry that does not add up', () => {
    expect(() => new PiecePicker({ pieceCount: 3, pieceLength: 10, totalLength: 31 })).toThrow(PiecePickerError);
  });
});

describe('PiecePicker: scale', () => {
  it('handles 200k pieces: 20 seeds join, 12,800 blocks picked and received, quickly', () => {
    const pieceCount = 200_000;
    const picker = new PiecePicker({ pieceCount, pieceLength: BLOCK * 16, totalLength: BLOCK * 16 * pieceCount });
    const seed = Bitfield.full(pieceCount);
    const started = performance.now();
    for (let peer = 0; peer < 20; peer++) picker.addPeerBitfield(seed);
    let received = 0;
    for (let round = 0; round < 200; round++) {
      for (const block of picker.pickBlocks(seed, 64, { peer: round % 10 })) {
        picker.markReceived(block, round % 10);
        received++;
        if (picker.isPieceFullyReceived(block.piece)) picker.pieceComplete(block.piece);
      }
    }
    expect(received).toBe(200 * 64);
    expect(picker.ourPieces.count).toBe((200 * 64) / 16);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('PiecePicker: against a brute-force model', () => {
  it('always starts a piece of the highest priority and lowest availability', () => {
    const random = seededRandom(7);
    const pieceCount = 300;
    const picker = new PiecePicker({ pieceLength: BLOCK, totalLength: BLOCK * pieceCount, random: seededRandom(3) });
    const availability = new Array<number>(pieceCount).fill(0);
    const priority = new Array<number>(pieceCount).fill(4);
    const taken = new Set<number>();
    for (let step = 0; step < 3000; step++) {
      const piece = Math.floor(random() * pieceCount);
      const roll = random();
      if (roll < 0.6) {
        picker.addPeerHave(piece);
        availability[piece]!++;
      } else if (roll < 0.8 && availability[piece]! > 0) {
        picker.removePeerHave(piece);
        availability[piece]!--;
      } else if (roll < 0.85) {
        const value = Math.floor(random() * 8);
        picker.setPriority(piece, value);
        priority[piece] = value;
      } else if (roll < 0.9) {
        const peer = new Bitfield(pieceCount);
        for (let i = 0; i < pieceCount; i++) if (random() < 0.5) peer.set(i);
        const eligible = [...peer.setIndices()].filter((i) => priority[i]! > 0 && !taken.has(i));
        const [block] = picker.pickBlocks(peer, 1);
        if (eligible.length === 0) {
          expect(block).toBeUndefined();
          continue;
        }
        const rank = (i: number) => [-priority[i]!, Math.min(availability[i]!, 127)] as const;
        const best = eligible.map(rank).sort((a, b) => a[0] - b[0] || a[1] - b[1])[0]!;
        expect(rank(block!.piece)).toEqual(best);
        taken.add(block!.piece);
      }
    }
  });
});
