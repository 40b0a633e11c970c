import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../shared/bitfield.ts';
import { PiecePicker } from '../../../shared/piece-picker/picker.ts';
import { BLOCK, bitfield, buildPicker, pickedPieces, seededRandom } from './scenario.ts';

describe('PiecePicker: sequential mode', () => {
  it('starts pieces in index order instead of rarest first', () => {
    const picker = buildPicker({ availability: '5555511111', sequential: true, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111111'), 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps higher priority first and never picks skipped pieces', () => {
    const picker = buildPicker({ availability: '11111111', priority: '40447044', sequential: true, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('11111111'), 8))).toEqual([4, 0, 2, 3, 6, 7]);
  });

  it('skips pieces we have and pieces the peer lacks', () => {
    const picker = buildPicker({ availability: '111111', have: '* *   ', sequential: true, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111 1'), 6))).toEqual([1, 3, 5]);
    expect(pickedPieces(picker.pickBlocks(bitfield('111111'), 6))).toEqual([4]);
  });

  it('a piece that comes back (request cancelled, storage lost it) is picked in its place', () => {
    const picker = buildPicker({ availability: '111111', sequential: true, blocksPerPiece: 1 });
    const picks = picker.pickBlocks(bitfield('111111'), 3, { peer: 'a' });
    expect(pickedPieces(picks)).toEqual([0, 1, 2]);
    picker.cancelRequest(picks[1]!, 'a');
    picker.markReceived(picks[0]!, 'a');
    picker.pieceComplete(0);
    picker.setMissing(0);
    expect(pickedPieces(picker.pickBlocks(bitfield('111111'), 3, { peer: 'b' }))).toEqual([0, 1, 3]);
  });

  it('deadlines still go first', () => {
    const picker = buildPicker({ availability: '1111111', deadlines: { video: '     10' }, sequential: true, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111'), 4))).toEqual([6, 5, 0, 1]);
  });

  it('turned off again, picks rarest first', () => {
    const picker = buildPicker({ availability: '5555511111', sequential: true, blocksPerPiece: 1 });
    picker.setSequential(false);
    expect(picker.isSequential).toBe(false);
    expect(picker.pickBlocks(bitfield('1111111111'), 1)[0]!.piece).toBeGreaterThanOrEqual(5);
  });

  it('100k pieces, the first 80k ours: a seed is answered at once, a peer with only the last piece still finds it', () => {
    const pieceCount = 100_000;
    const picker = new PiecePicker({ pieceCount, pieceLength: BLOCK, totalLength: BLOCK * pieceCount });
    picker.setSequential(true);
    for (let piece = 0; piece < 80_000; piece++) picker.setHave(piece);
    const seed = Bitfield.full(pieceCount);
    picker.addPeerBitfield(seed);
    const last = new Bitfield(pieceCount);
    last.set(pieceCount - 1);
    const started = performance.now();
    for (let round = 0; round < 1000; round++) {
      for (const block of picker.pickBlocks(seed, 16, { peer: 'seed' })) {
        picker.markReceived(block, 'seed');
        picker.pieceComplete(block.piece);
      }
    }
    expect(picker.hasPiece(95_999)).toBe(true);
    expect(picker.hasPiece(96_000)).toBe(false);
    expect(pickedPieces(picker.pickBlocks(last, 1, { peer: 'last' }))).toEqual([pieceCount - 1]);
    expect(performance.now() - started).toBeLessThan(3000); // a scan from piece 0 per pick takes far longer
  });

  it('against a brute-force model: always starts the lowest index of the highest priority', () => {
    const random = seededRandom(11);
    const pieceCount = 200;
    const picker = new PiecePicker({ pieceLength: BLOCK, totalLength: BLOCK * pieceCount, random: seededRandom(5) });
    picker.setSequential(true);
    const priority = new Array<number>(pieceCount).fill(4);
    const ours = new Set<number>();
    const inProgress = new Map<number, { piece: number; offset: number; length: number }>();
    for (let step = 0; step < 4000; step++) {
      const piece = Math.floor(random() * pieceCount);
      const roll = random();
      if (roll < 0.1) {
        const value = Math.floor(random() * 8);
        picker.setPriority(piece, value);
        priority[piece] = value;
      } else if (roll < 0.2 && ours.has(piece)) {
        picker.setMissing(piece);
        ours.delete(piece);
      } else if (roll < 0.3 && inProgress.has(piece)) {
        picker.cancelRequest(inProgress.get(piece)!);
        inProgress.delete(piece);
      } else if (roll < 0.4 && inProgress.has(piece) && priority[piece]! > 0) {
        picker.markReceived(inProgress.get(piece)!);
        picker.pieceComplete(piece);
        inProgress.delete(piece);
        ours.add(piece);
      } else if (roll >= 0.4) {
        const peer = new Bitfield(pieceCount);
        for (let i = 0; i < pieceCount; i++) if (random() < 0.3) peer.set(i);
        const eligible = [...peer.setIndices()].filter((i) => priority[i]! > 0 && !ours.has(i) && !inProgress.has(i));
        const expected = eligible.sort((a, b) => priority[b]! - priority[a]! || a - b)[0];
        const [block] = picker.pickBlocks(peer, 1, { endgame: false });
        expect(block?.piece).toBe(expected);
        if (block) inProgress.set(block.piece, block);
      }
    }
  });
});
