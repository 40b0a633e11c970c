// BEP 6 SUGGEST_PIECE steering the picker: among new pieces of the best priority the peer offers,
// a suggested one goes before the rarest; deadlines, priorities, pieces in progress and sequential
// mode come first; stale suggestions are passed over.
import { describe, expect, it } from 'vitest';
import { bitfield, buildPicker, pickedPieces } from './scenario.ts';

describe('PiecePicker: suggested pieces (BEP 6)', () => {
  it('takes a suggested piece before the rarest one of the same priority', () => {
    const picker = buildPicker({ availability: '1555555', blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111'), 1, { suggested: [4] }))).toEqual([4]);
    // Without a suggestion, rarest first.
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111'), 1))).toEqual([0]);
  });

  it('takes the most recent suggestion first, then rarest first for the rest', () => {
    const picker = buildPicker({ availability: '1255555', blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111'), 4, { suggested: [6, 3] }))).toEqual([6, 3, 0, 1]);
  });

  it('never outranks a higher priority or a deadline', () => {
    const picker = buildPicker({ availability: '555555', priority: '444474', deadlines: { video: '  0   ' }, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('111111'), 3, { suggested: [1] }))).toEqual([2, 4, 1]);
  });

  it('passes over suggestions the peer lacks, we have, skip, or have started', () => {
    const picker = buildPicker({ availability: '155555', have: ' *    ', priority: '444404', blocksPerPiece: 2 });
    picker.pickBlocks(bitfield('001000'), 1, { peer: 'other' }); // piece 2 in progress
    const picks = picker.pickBlocks(bitfield('111011'), 2, { peer: 'p', suggested: [1, 2, 3, 4, 99] });
    // Piece 2's free block first (in progress), then the rarest new one: 1 is ours, 2 started, 3 not the peer's, 4 skipped, 99 no piece.
    expect(pickedPieces(picks)).toEqual([2, 0]);
  });

  it('leaves sequential mode in index order', () => {
    const picker = buildPicker({ availability: '111111', sequential: true, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('111111'), 2, { suggested: [5] }))).toEqual([0, 1]);
  });
});
