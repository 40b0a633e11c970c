import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../shared/bitfield.ts';
import { PiecePickerError } from '../../../shared/piece-picker/geometry.ts';
import { PiecePicker } from '../../../shared/piece-picker/picker.ts';
import { BLOCK, bitfield, buildPicker, pickedBlocks, pickedPieces } from './scenario.ts';

describe('PiecePicker deadlines: which pieces first', () => {
  it('requests the playhead piece, then the read-ahead window, before priority and rarity', () => {
    const picker = buildPicker({
      availability: '5555511111',
      priority: '4444447777',
      deadlines: { video: ' 2 0 1    ' },
      blocksPerPiece: 2,
    });
    const picks = picker.pickBlocks(bitfield('1111111111'), 7, { peer: 'a' });
    expect(pickedBlocks(picks.slice(0, 6))).toEqual(['3.0', '3.1', '5.0', '5.1', '1.0', '1.1']);
    expect(picks[6]!.piece).toBeGreaterThanOrEqual(6); // then the usual order: priority 7
  });

  it('only picks deadline pieces the peer has', () => {
    const picker = buildPicker({ availability: '1111', deadlines: { video: '0123' }, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield(' 1 1'), 4))).toEqual([1, 3]);
  });

  it('ignores pieces we have: the next missing piece takes the playhead rank', () => {
    const picker = buildPicker({ availability: '111111', have: '   *  ', deadlines: { video: ' 2 0 1' } });
    expect([3, 5, 1].map((piece) => picker.deadlineOf(piece))).toEqual([undefined, 0, 1]);
    expect(pickedPieces(picker.pickBlocks(bitfield('111111'), 8))).toEqual([5, 1]);
    picker.pieceComplete(5);
    expect(picker.deadlineOf(5)).toBeUndefined();
    expect(picker.deadlineOf(1)).toBe(0);
    expect(picker.hasDeadlines).toBe(true);
    picker.pieceComplete(1);
    expect(picker.hasDeadlines).toBe(false);
  });

  it('a seek (a new list) drops the old window: its unstarted pieces go back to rarest-first', () => {
    const picker = buildPicker({ availability: '1111155555', deadlines: { video: '     012  ' }, blocksPerPiece: 2 });
    expect(pickedBlocks(picker.pickBlocks(bitfield('1111111111'), 1, { peer: 'a' }))).toEqual(['5.0']);
    picker.setDeadlines('video', [9, 8]);
    expect([5, 6, 7].map((piece) => picker.deadlineOf(piece))).toEqual([undefined, undefined, undefined]);
    const picks = picker.pickBlocks(bitfield('1111111111'), 6, { peer: 'b' });
    expect(pickedBlocks(picks.slice(0, 5))).toEqual(['9.0', '9.1', '8.0', '8.1', '5.1']); // 5 was started: finished
    expect(picks[5]!.piece).toBeLessThan(5); // rarest, not 6 or 7
  });

  it('an empty list or clearDeadlines removes the reader', () => {
    const picker = buildPicker({ availability: '11115555', deadlines: { video: '    01  ', audio: '      0 ' }, blocksPerPiece: 1 });
    expect(picker.hasDeadlines).toBe(true);
    picker.clearDeadlines('video');
    picker.setDeadlines('audio', []);
    expect(picker.hasDeadlines).toBe(false);
    expect(picker.deadlineOf(4)).toBeUndefined();
    expect(pickedPieces(picker.pickBlocks(bitfield('11111111'), 4)).sort()).toEqual([0, 1, 2, 3]);
  });

  it('two readers interleave by rank; a piece both want keeps its best rank', () => {
    const picker = buildPicker({ availability: '1111111111', deadlines: { a: '2  0 1    ', b: '       0 1' }, blocksPerPiece: 1 });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111111111'), 5))).toEqual([3, 7, 5, 9, 0]);

    const shared = buildPicker({ availability: '1111111111', deadlines: { a: '2  0 1    ' }, blocksPerPiece: 1 });
    shared.setDeadlines('b', [9, 3]);
    expect([3, 9, 5].map((piece) => shared.deadlineOf(piece))).toEqual([0, 0, 1]);
    expect(pickedPieces(shared.pickBlocks(bitfield('1111111111'), 4))).toEqual([3, 9, 5, 0]);
  });

  it('starts deadline pieces beyond the cap on pieces in progress', () => {
    const picker = buildPicker({ availability: '1111', maxPartialPieces: 1, deadlines: { video: '  01' }, blocksPerPiece: 1 });
    picker.pickBlocks(bitfield('1   '), 1, { peer: 'a' });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111'), 4, { peer: 'b' }))).toEqual([2, 3]);
  });

  it('rejects pieces outside the torrent and leaves the old list in place', () => {
    const picker = buildPicker({ availability: '1111', deadlines: { video: '01  ' } });
    expect(() => picker.setDeadlines('video', [2, 4])).toThrow(PiecePickerError);
    expect(picker.deadlineOf(0)).toBe(0);
  });
});

describe('PiecePicker deadlines: skipped pieces', () => {
  it('fetches a piece of a skipped file for its reader', () => {
    const picker = buildPicker({ availability: '1111', priority: '0000', deadlines: { video: '  0 ' }, blocksPerPiece: 2 });
    const picks = picker.pickBlocks(bitfield('1111'), 8, { peer: 'a' });
    expect(pickedBlocks(picks)).toEqual(['2.0', '2.1']);
    expect(picker.markReceived(picks[0]!, 'a').accepted).toBe(true);
    expect(picker.isComplete).toBe(true); // priorities say nothing is wanted; hasDeadlines says a reader waits
    expect(picker.hasDeadlines).toBe(true);
  });

  it('when the reader goes, a skipped piece it started is finished, unstarted ones are skipped again', () => {
    const picker = buildPicker({ availability: '1111', priority: '0000', deadlines: { video: ' 01 ' }, blocksPerPiece: 2 });
    const [first] = picker.pickBlocks(bitfield('1111'), 1, { peer: 'a' });
    picker.clearDeadlines('video');
    const rest = picker.pickBlocks(bitfield('1111'), 8, { peer: 'b' });
    expect(pickedBlocks(rest)).toEqual(['1.1']);
    expect(picker.markReceived(first!, 'a').accepted).toBe(true);
    expect(picker.markReceived(rest[0]!, 'b').accepted).toBe(true);
    expect(picker.isPieceFullyReceived(1)).toBe(true);
  });

  it('a skipped piece that fails verification after its reader went is not fetched again', () => {
    const picker = buildPicker({ availability: '11', priority: '00', deadlines: { video: '0 ' }, blocksPerPiece: 1 });
    const [block] = picker.pickBlocks(bitfield('11'), 1, { peer: 'a' });
    picker.clearDeadlines('video');
    picker.markReceived(block!, 'a');
    picker.pieceFailed(0);
    expect(picker.pickBlocks(bitfield('11'), 4, { peer: 'b' })).toEqual([]);
    expect(picker.partialPieceCount).toBe(0);
  });

  it('a skipped piece being finished stops once the user sets its priority (ticked, then unticked)', () => {
    const picker = buildPicker({ availability: '11', priority: '00', deadlines: { video: '0 ' }, blocksPerPiece: 2 });
    picker.pickBlocks(bitfield('11'), 1, { peer: 'a' });
    picker.clearDeadlines('video');
    picker.setPriority(0, 4);
    picker.setPriority(0, 0);
    expect(picker.pickBlocks(bitfield('11'), 4, { peer: 'b' })).toEqual([]);
  });
});

describe('PiecePicker deadlines: urgent duplicates', () => {
  // Pieces 0-2 have deadlines; piece 3 is wanted but held by nobody we pick for, so it is not endgame.
  function urgentScenario(): PiecePicker {
    const picker = buildPicker({ availability: '11115', priority: '44440', deadlines: { video: '012  ' }, blocksPerPiece: 2 });
    picker.pickBlocks(bitfield('111  '), 6, { peer: 'a' });
    expect(picker.isEndgame).toBe(false);
    return picker;
  }

  it('a fast peer requests busy blocks of the urgent pieces again, a slow one does not', () => {
    const picker = urgentScenario();
    expect(picker.pickBlocks(bitfield('111  '), 8, { peer: 'slow' })).toEqual([]);
    const fast = picker.pickBlocks(bitfield('111  '), 8, { peer: 'fast', fast: true });
    expect(pickedBlocks(fast)).toEqual(['0.0', '0.1', '1.0', '1.1']); // ranks 0 and 1, not 2
    expect(picker.markReceived(fast[0]!, 'fast')).toEqual({ accepted: true, cancelFrom: ['a'] });
  });

  it('never hands one peer the same block twice, and a block has at most two holders', () => {
    const picker = urgentScenario();
    expect(picker.pickBlocks(bitfield('111  '), 8, { peer: 'a', fast: true })).toEqual([]);
    expect(picker.pickBlocks(bitfield('111  '), 1, { peer: 'b', fast: true })).toHaveLength(1);
    expect(pickedBlocks(picker.pickBlocks(bitfield('111  '), 8, { peer: 'b', fast: true }))).toEqual(['0.1', '1.0', '1.1']);
    expect(picker.pickBlocks(bitfield('111  '), 8, { peer: 'c', fast: true })).toEqual([]);
  });

  it('a fast peer takes every free deadline block before duplicating', () => {
    const picker = buildPicker({ availability: '11115', priority: '44440', deadlines: { video: '012  ' }, blocksPerPiece: 2 });
    picker.pickBlocks(bitfield('1    '), 2, { peer: 'a' });
    const fast = picker.pickBlocks(bitfield('111  '), 5, { peer: 'fast', fast: true });
    expect(pickedBlocks(fast)).toEqual(['1.0', '1.1', '2.0', '2.1', '0.0']);
  });

  it('urgency counts ranks per reader, and urgentRanks sets how many', () => {
    const picker = buildPicker({ availability: '11111', deadlines: { a: '01   ', b: '  01 ' }, urgentRanks: 1, blocksPerPiece: 1 });
    picker.pickBlocks(bitfield('1111 '), 4, { peer: 'a' });
    expect(pickedPieces(picker.pickBlocks(bitfield('1111 '), 4, { peer: 'fast', fast: true }))).toEqual([0, 2]);
  });
});

describe('PiecePicker deadlines: scale', () => {
  it('100k pieces: a 40-piece window moving each round costs no scan of the torrent', () => {
    const pieceCount = 100_000;
    const picker = new PiecePicker({ pieceCount, pieceLength: BLOCK * 4, totalLength: BLOCK * 4 * pieceCount });
    const seed = Bitfield.full(pieceCount);
    for (let peer = 0; peer < 20; peer++) picker.addPeerBitfield(seed);
    const started = performance.now();
    for (let round = 0; round < 2000; round++) {
      const playhead = 50_000 + Math.floor(round / 4);
      picker.setDeadlines('video', Array.from({ length: 40 }, (_, i) => playhead + i));
      for (const block of picker.pickBlocks(seed, 16, { peer: round % 10, fast: round % 10 < 3 })) {
        picker.markReceived(block, round % 10);
        if (picker.isPieceFullyReceived(block.piece)) picker.pieceComplete(block.piece);
      }
    }
    expect(picker.hasPiece(50_000 + 499)).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
