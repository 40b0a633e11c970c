// PieceAssembly (one piece's blocks and their senders) and InFlightPieces (the pieces being fetched).
import { describe, expect, it } from 'vitest';
import { InFlightPieces, PieceAssembly } from '../../../../web/worker/torrent/piece-assembly.ts';

const BLOCK = 16384;

describe('PieceAssembly', () => {
  it('writes blocks in any order, records senders and completes once every block is in', () => {
    const piece = new PieceAssembly(4, 3 * BLOCK);
    expect(piece.senders).toHaveLength(3);
    expect(piece.write({ piece: 4, offset: 2 * BLOCK, length: BLOCK }, new Uint8Array(BLOCK).fill(3), 'c')).toBe(true);
    expect(piece.write({ piece: 4, offset: 0, length: BLOCK }, new Uint8Array(BLOCK).fill(1), 'a')).toBe(true);
    expect(piece.complete).toBe(false);
    expect(piece.write({ piece: 4, offset: BLOCK, length: BLOCK }, new Uint8Array(BLOCK).fill(2), 'a')).toBe(true);
    expect(piece.complete).toBe(true);
    expect([piece.data[0], piece.data[BLOCK], piece.data[2 * BLOCK], piece.data[3 * BLOCK - 1]]).toEqual([1, 2, 3, 3]);
    expect(piece.senders).toEqual(['a', 'a', 'c']);
    expect(piece.contributors().sort()).toEqual(['a', 'c']);
  });

  it('writes a block that came in parts (it spanned received chunks) in place, and checks its whole length', () => {
    const piece = new PieceAssembly(0, 2 * BLOCK);
    const block = Uint8Array.from({ length: BLOCK }, (_, i) => i & 0xff);
    const parts = [block.subarray(0, 100), block.subarray(100, 9000), block.subarray(9000)];
    expect(piece.write({ piece: 0, offset: BLOCK, length: BLOCK }, parts, 'a')).toBe(true);
    expect(piece.data.subarray(BLOCK)).toEqual(block);
    expect(piece.write({ piece: 0, offset: 0, length: BLOCK }, [block.subarray(0, 10), block.subarray(10, 20)], 'b')).toBe(false);
  });

  it('refuses a duplicate block without overwriting the first', () => {
    const piece = new PieceAssembly(0, 2 * BLOCK);
    expect(piece.write({ piece: 0, offset: 0, length: BLOCK }, new Uint8Array(BLOCK).fill(1), 'a')).toBe(true);
    expect(piece.write({ piece: 0, offset: 0, length: BLOCK }, new Uint8Array(BLOCK).fill(9), 'b')).toBe(false);
    expect(piece.data[0]).toBe(1);
    expect(piece.senders[0]).toBe('a');
    expect(piece.complete).toBe(false);
  });

  it('refuses misaligned offsets, offsets past the end and wrong lengths', () => {
    const piece = new PieceAssembly(0, 2 * BLOCK);
    expect(piece.write({ piece: 0, offset: 100, length: BLOCK }, new Uint8Array(BLOCK), 'a')).toBe(false);
    expect(piece.write({ piece: 0, offset: 2 * BLOCK, length: BLOCK }, new Uint8Array(BLOCK), 'a')).toBe(false);
    expect(piece.write({ piece: 0, offset: 0, length: 100 }, new Uint8Array(100), 'a')).toBe(false);
    expect(piece.contributors()).toEqual([]);
  });

  it('takes a short last block of exactly the remaining length', () => {
    const piece = new PieceAssembly(7, BLOCK + 10);
    expect(piece.write({ piece: 7, offset: BLOCK, length: BLOCK }, new Uint8Array(BLOCK), 'a')).toBe(false);
    expect(piece.write({ piece: 7, offset: BLOCK, length: 10 }, new Uint8Array(10).fill(5), 'a')).toBe(true);
    expect(piece.write({ piece: 7, offset: 0, length: BLOCK }, new Uint8Array(BLOCK), 'b')).toBe(true);
    expect(piece.complete).toBe(true);
    expect(piece.data.at(-1)).toBe(5);
  });
});

describe('InFlightPieces', () => {
  it('creates each piece once with its own length and accounts the bytes', () => {
    const lengths = [2 * BLOCK, 2 * BLOCK, 100];
    const inFlight = new InFlightPieces((index) => lengths[index]!);
    const first = inFlight.get(0);
    expect(inFlight.get(0)).toBe(first);
    inFlight.get(2);
    expect(inFlight.count).toBe(2);
    expect(inFlight.bytes).toBe(2 * BLOCK + 100);
    expect(inFlight.has(2)).toBe(true);
    expect(inFlight.get(2).length).toBe(100);
  });

  it('take removes and returns a piece; clear forgets everything', () => {
    const inFlight = new InFlightPieces(() => BLOCK);
    const piece = inFlight.get(3);
    inFlight.get(4);
    expect(inFlight.take(3)).toBe(piece);
    expect(inFlight.take(3)).toBeUndefined();
    expect(inFlight.has(3)).toBe(false);
    expect(inFlight.bytes).toBe(BLOCK);
    inFlight.clear();
    expect(inFlight.count).toBe(0);
    expect(inFlight.bytes).toBe(0);
    expect(inFlight.get(3)).not.toBe(piece); // a fresh assembly after clear
  });
});
