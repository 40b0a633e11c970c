// PieceIntake: blocks in, hashed pieces out, wasted bytes counted, and storage back-pressure.
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { PiecePicker } from '../../../../shared/piece-picker/index.ts';
import type { BlockRef } from '../../../../shared/peer-wire/index.ts';
import type { TorrentStorage, WriteStatus } from '../../../../web/worker/piece-store.ts';
import type { PieceAssembly } from '../../../../web/worker/torrent/piece-assembly.ts';
import { PieceIntake } from '../../../../web/worker/torrent/piece-intake.ts';
import { makeScriptedTorrent } from '../engine/scripted-swarm.ts';

const BLOCK = 16 * 1024;
const { meta, data } = makeScriptedTorrent('two.bin', 2 * BLOCK, [{ path: 'two.bin', length: 4 * BLOCK }]);

function setup(writeStatus: WriteStatus = 'queued') {
  const stored = new Map<number, Uint8Array>();
  const storage = { putPiece: (index: number, bytes: Uint8Array) => { stored.set(index, bytes); return writeStatus; } } as unknown as TorrentStorage;
  const picker = new PiecePicker({ pieceCount: meta.pieceCount, pieceLength: meta.pieceLength, totalLength: meta.totalLength });
  const have = new Bitfield(meta.pieceCount);
  const verified: PieceAssembly[] = [];
  const failed: PieceAssembly[] = [];
  const intake = new PieceIntake(meta, storage, picker, have, {
    verified: (assembly) => verified.push(assembly),
    failed: (assembly) => failed.push(assembly),
    error: (index, error) => { throw new Error(`piece ${index}: ${error.message}`); },
  });
  return { intake, picker, have, stored, verified, failed };
}

function block(piece: number, slot: number): { ref: BlockRef; bytes: Uint8Array } {
  const offset = piece * 2 * BLOCK + slot * BLOCK;
  return { ref: { piece, offset: slot * BLOCK, length: BLOCK }, bytes: data.slice(offset, offset + BLOCK) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe('PieceIntake', () => {
  it('hashes a complete piece from two senders and stores it', async () => {
    const { intake, stored, verified, failed } = setup();
    const a = block(1, 0);
    const b = block(1, 1);
    intake.receive({}, 'a', a.ref, a.bytes, true);
    intake.receive({}, 'b', b.ref, b.bytes, true);
    await until(() => verified.length === 1);
    expect(verified[0]!.index).toBe(1);
    expect(verified[0]!.contributors().sort()).toEqual(['a', 'b']);
    expect(stored.has(1)).toBe(true);
    expect(failed).toEqual([]);
    expect(intake.wastedBytes).toBe(0);
    expect(intake.keepingUp).toBe(true);
  });

  it('counts a failed piece as wasted and gives its blocks back to the picker', async () => {
    const { intake, picker, stored, failed } = setup();
    const a = block(0, 0);
    const bad = block(0, 1);
    bad.bytes[0]! ^= 0xff;
    intake.receive({}, 'a', a.ref, a.bytes, true);
    intake.receive({}, 'liar', bad.ref, bad.bytes, true);
    await until(() => failed.length === 1);
    expect(intake.wastedBytes).toBe(2 * BLOCK);
    expect(stored.size).toBe(0);
    expect(picker.isPieceFullyReceived(0)).toBe(false);
  });

  it('wastes blocks of pieces we have, duplicates, and anything while stopped', () => {
    const { intake, have } = setup();
    have.set(1);
    const a = block(0, 0);
    intake.receive({}, 'a', a.ref, a.bytes, false); // stopped
    intake.receive({}, 'a', a.ref, a.bytes, true);
    intake.receive({}, 'b', a.ref, a.bytes, true); // duplicate
    const had = block(1, 0);
    intake.receive({}, 'a', had.ref, had.bytes, true);
    expect(intake.wastedBytes).toBe(3 * BLOCK);
    intake.restoreWastedBytes(5);
    expect(intake.wastedBytes).toBe(5);
  });

  it('stops keeping up when a write finds storage full, until storage drains', async () => {
    const { intake, verified } = setup('queue-full');
    for (const slot of [0, 1]) { const b = block(0, slot); intake.receive({}, 'a', b.ref, b.bytes, true); }
    await until(() => verified.length === 1);
    expect(intake.keepingUp).toBe(false);
    intake.storageWritable();
    expect(intake.keepingUp).toBe(true);
  });

  it('abandons unfinished pieces on stop: their blocks are no longer counted as received', async () => {
    const { intake, picker } = setup();
    const a = block(0, 0);
    intake.receive({}, 'a', a.ref, a.bytes, true);
    intake.abandonUnfinished();
    await intake.settled();
    // The same block is welcome again (it would be a wasted duplicate had it been kept).
    intake.receive({}, 'a', a.ref, a.bytes, true);
    expect(intake.wastedBytes).toBe(0);
    expect(picker.isPieceFullyReceived(0)).toBe(false);
  });
});
