// The ledger's arithmetic over three files whose pieces straddle file boundaries:
//   piece:   0 (16K)  1 (16K)  2 (16K)        3 (16K)  4 (10K)
//   files:   a.bin ──────────── a|b ─── b.bin ────────  c.bin
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { PiecePicker } from '../../../../shared/piece-picker/index.ts';
import type { FilePriority } from '../../../../web/worker/torrent/file-selection.ts';
import { PieceLedger } from '../../../../web/worker/torrent/piece-ledger.ts';
import { makeScriptedTorrent } from '../engine/scripted-swarm.ts';

const K = 1024;
const { meta } = makeScriptedTorrent('three', 16 * K, [
  { path: 'a.bin', length: 40 * K },
  { path: 'b.bin', length: 24 * K },
  { path: 'c.bin', length: 10 * K },
]);

function ledgerWith(havePieces: number[], priorities: FilePriority[] = ['normal', 'normal', 'normal']) {
  const picker = new PiecePicker({ pieceCount: meta.pieceCount, pieceLength: meta.pieceLength, totalLength: meta.totalLength });
  const have = new Bitfield(meta.pieceCount);
  for (const index of havePieces) have.set(index);
  return { picker, ledger: new PieceLedger(meta, picker, have, priorities) };
}

function bitfieldOf(...pieces: number[]): Bitfield {
  const bits = new Bitfield(meta.pieceCount);
  for (const index of pieces) bits.set(index);
  return bits;
}

describe('PieceLedger', () => {
  it('counts resumed pieces as verified and tells the picker it has them', () => {
    const { picker, ledger } = ledgerWith([0, 4]);
    expect(meta.pieceCount).toBe(5);
    expect(ledger.verifiedBytes).toBe(26 * K);
    expect(ledger.wantedBytes).toBe(74 * K);
    expect(ledger.leftBytes).toBe(48 * K);
    expect(ledger.isComplete).toBe(false);
    expect([0, 1, 2, 3, 4].map((i) => picker.hasPiece(i))).toEqual([true, false, false, false, true]);
  });

  it('keeps a piece shared with a wanted file wanted when the other file is skipped', () => {
    const { ledger } = ledgerWith([0, 4], ['normal', 'skip', 'normal']);
    expect([...Array(5).keys()].map((i) => ledger.wanted.get(i))).toEqual([true, true, true, false, true]);
    expect(ledger.wantedBytes).toBe(58 * K);
    expect(ledger.leftBytes).toBe(32 * K); // pieces 1 and 2
    expect(ledger.lacks(2)).toBe(true);
    expect(ledger.lacks(3)).toBe(false);
    expect(ledger.selectedFiles).toEqual([true, false, true]);
  });

  it('counts a verified piece once; an unwanted one adds to verified bytes, not to what is left', () => {
    const { picker, ledger } = ledgerWith([0, 4], ['normal', 'skip', 'normal']);
    expect(ledger.pieceVerified(3)).toBe(true);
    expect(ledger.verifiedBytes).toBe(42 * K);
    expect(ledger.leftBytes).toBe(32 * K);
    expect(ledger.pieceVerified(3)).toBe(false); // endgame duplicate
    expect(ledger.verifiedBytes).toBe(42 * K);
    expect(picker.hasPiece(3)).toBe(true);
    expect(ledger.pieceVerified(1)).toBe(true);
    expect(ledger.pieceVerified(2)).toBe(true);
    expect(ledger.isComplete).toBe(true);
    expect(ledger.leftBytes).toBe(0);
    expect(ledger.have.get(2)).toBe(true);
  });

  it('un-counts lost pieces it had, ignores ones it lacks or beyond the torrent, and reports which', () => {
    const { picker, ledger } = ledgerWith([0, 3, 4], ['normal', 'skip', 'normal']);
    expect(ledger.leftBytes).toBe(32 * K);
    expect(ledger.piecesLost([4, 3, 99, 1])).toEqual([4, 3]);
    expect(ledger.verifiedBytes).toBe(16 * K);
    expect(ledger.leftBytes).toBe(42 * K); // piece 4 (10K) is wanted again; piece 3 is skipped
    expect(ledger.have.get(4)).toBe(false);
    expect(picker.hasPiece(4)).toBe(false);
    expect(ledger.piecesLost([4])).toEqual([]); // lost twice: counted once
    expect(ledger.verifiedBytes).toBe(16 * K);
  });

  it('follows priority changes: a peer with only a skipped file is not interesting until it is wanted', () => {
    const { ledger } = ledgerWith([0], ['normal', 'skip', 'normal']);
    const onlyB = bitfieldOf(3);
    expect(ledger.wantsFrom(onlyB)).toBe(false);
    expect(ledger.setPriority(1, 'normal')).toBe(true);
    expect(ledger.wantsFrom(onlyB)).toBe(true);
    expect(ledger.leftBytes).toBe(58 * K);
    expect(ledger.setPriority(1, 'normal')).toBe(false); // no change
    expect(ledger.wantsFrom(bitfieldOf(0))).toBe(false); // has only what we have
  });

  it('is complete at once when everything wanted was there already', () => {
    const { ledger } = ledgerWith([3], ['skip', 'normal', 'skip']);
    expect(ledger.wanted.get(2)).toBe(true); // piece 2 holds the start of b.bin
    expect(ledger.isComplete).toBe(false);
    ledger.pieceVerified(2);
    expect(ledger.isComplete).toBe(true);
    expect(ledger.wantedBytes).toBe(32 * K);
  });
});
