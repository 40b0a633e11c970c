// BlameBook (smart ban): who gets struck for a failed piece, and how much evidence it keeps.
import { describe, expect, it } from 'vitest';
import { BlameBook, STRIKES_TO_BAN } from '../../../../web/worker/torrent/blame.ts';
import { PieceAssembly } from '../../../../web/worker/torrent/piece-assembly.ts';

const BLOCK = 16384;

/** The good bytes of a piece: distinct per piece and position. */
function goodPiece(index: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + index * 7) & 0xff);
}

/**
 * A complete assembly of piece `index`; `senders[slot]` sent block `slot`, and the blocks whose
 * slot is in `corrupt` carry one flipped byte.
 */
function assembled(index: number, length: number, senders: string[], corrupt: number[] = []): PieceAssembly {
  const good = goodPiece(index, length);
  const assembly = new PieceAssembly(index, length);
  for (let slot = 0; slot * BLOCK < length; slot++) {
    const bytes = good.slice(slot * BLOCK, Math.min(length, (slot + 1) * BLOCK));
    if (corrupt.includes(slot)) bytes[bytes.length - 1]! ^= 0xff;
    expect(assembly.write({ piece: index, offset: slot * BLOCK, length: bytes.length }, bytes, senders[slot % senders.length]!)).toBe(true);
  }
  expect(assembly.complete).toBe(true);
  return assembly;
}

describe('BlameBook', () => {
  it('strikes the only sender of a failed piece and bans it on the second strike', () => {
    const book = new BlameBook();
    expect(STRIKES_TO_BAN).toBe(2);
    expect(book.pieceFailed(assembled(0, 4 * BLOCK, ['liar'], [1]))).toEqual([]);
    expect(book.strikesOf('liar')).toBe(1);
    expect(book.pieceFailed(assembled(1, 4 * BLOCK, ['liar'], [0]))).toEqual(['liar']);
    expect(book.strikesOf('liar')).toBe(2);
    expect(book.strikesOf('someone else')).toBe(0);
  });

  it('keeps evidence of a multi-sender failure and strikes only the sender whose blocks differ', () => {
    const book = new BlameBook();
    // Blocks alternate honest, liar, honest, liar; the liar's block 1 is corrupt.
    expect(book.pieceFailed(assembled(5, 4 * BLOCK, ['honest', 'liar'], [1]))).toEqual([]);
    expect(book.strikesOf('honest')).toBe(0);
    expect(book.strikesOf('liar')).toBe(0);
    expect(book.pieceVerified(5, goodPiece(5, 4 * BLOCK))).toEqual([]);
    expect(book.strikesOf('liar')).toBe(1);
    expect(book.strikesOf('honest')).toBe(0);
    // Evidence is used once: verifying the piece again strikes nobody.
    expect(book.pieceVerified(5, goodPiece(5, 4 * BLOCK))).toEqual([]);
    expect(book.strikesOf('liar')).toBe(1);
  });

  it('bans a liar proven twice across pieces, never the honest peer', () => {
    const book = new BlameBook();
    book.pieceFailed(assembled(1, 2 * BLOCK, ['honest', 'liar'], [1]));
    book.pieceFailed(assembled(2, 2 * BLOCK, ['liar', 'honest'], [0]));
    expect(book.pieceVerified(1, goodPiece(1, 2 * BLOCK))).toEqual([]);
    expect(book.pieceVerified(2, goodPiece(2, 2 * BLOCK))).toEqual(['liar']);
    expect(book.strikesOf('honest')).toBe(0);
  });

  it('compares a short last block only over its own bytes', () => {
    const book = new BlameBook();
    const length = BLOCK + 100;
    book.pieceFailed(assembled(3, length, ['a', 'b'], [1]));
    expect(book.pieceVerified(3, goodPiece(3, length))).toEqual([]);
    expect(book.strikesOf('b')).toBe(1);
    expect(book.strikesOf('a')).toBe(0);
  });

  it('pieceVerified without evidence strikes nobody', () => {
    const book = new BlameBook();
    expect(book.pieceVerified(9, goodPiece(9, BLOCK))).toEqual([]);
  });

  it('caps evidence memory: the oldest evidence is dropped once 32 MiB is held', () => {
    const book = new BlameBook();
    const pieceLength = 4 * 1024 * 1024; // eight of these fill the 32 MiB cap
    book.pieceFailed(assembled(0, pieceLength, ['honest', 'liar'], [1]));
    for (let index = 1; index <= 8; index++) book.pieceFailed(assembled(index, pieceLength, ['honest', 'liar'], [1]));
    // Piece 0's evidence made room for piece 8's: the liar can no longer be proven there.
    expect(book.pieceVerified(0, goodPiece(0, pieceLength))).toEqual([]);
    expect(book.strikesOf('liar')).toBe(0);
    // Piece 1's evidence is still kept.
    book.pieceVerified(1, goodPiece(1, pieceLength));
    expect(book.strikesOf('liar')).toBe(1);
  });

  it('keeps no evidence for a piece larger than a quarter of the cap', () => {
    const book = new BlameBook();
    const pieceLength = 8 * 1024 * 1024 + BLOCK;
    book.pieceFailed(assembled(0, pieceLength, ['honest', 'liar'], [1]));
    expect(book.pieceVerified(0, goodPiece(0, pieceLength))).toEqual([]);
    expect(book.strikesOf('liar')).toBe(0);
  });
});
