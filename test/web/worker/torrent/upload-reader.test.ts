import { describe, expect, it } from 'vitest';
import type { TorrentStorage } from '../../../../web/worker/piece-store.ts';
import { UploadReader } from '../../../../web/worker/torrent/upload-reader.ts';

const PIECE = 1024;

/** A storage whose getPiece counts its reads; piece i is filled with the byte i. */
function countingStorage(options: { failing?: Set<number>; missing?: Set<number> } = {}) {
  const reads: number[] = [];
  const storage = {
    getPiece: async (index: number) => {
      reads.push(index);
      if (options.failing?.has(index)) throw new Error('disk gone');
      if (options.missing?.has(index)) return undefined;
      return new Uint8Array(PIECE).fill(index);
    },
  } as unknown as TorrentStorage;
  return { storage, reads };
}

describe('UploadReader', () => {
  it('serves a repeated read from memory: one storage read per piece', async () => {
    const { storage, reads } = countingStorage();
    const reader = new UploadReader(storage, PIECE, 4 * PIECE);
    for (let block = 0; block < 16; block++) expect((await reader.read(7))![0]).toBe(7);
    expect(reads).toEqual([7]);
  });

  it('keeps several pieces, so interleaved requests of two peers do not read again', async () => {
    const { storage, reads } = countingStorage();
    const reader = new UploadReader(storage, PIECE, 4 * PIECE);
    for (let block = 0; block < 8; block++) {
      await reader.read(1);
      await reader.read(2);
    }
    expect(reads).toEqual([1, 2]);
  });

  it('is bounded in bytes: the least recently used piece goes first', async () => {
    const { storage, reads } = countingStorage();
    const reader = new UploadReader(storage, PIECE, 3 * PIECE);
    await reader.read(0);
    await reader.read(1);
    await reader.read(2);
    await reader.read(0); // 0 is now the most recent; 1 the oldest
    await reader.read(3);
    expect(reader.cachedPieces).toEqual([2, 0, 3]);
    await reader.read(1);
    expect(reads).toEqual([0, 1, 2, 3, 1]);
    expect(reader.cachedPieces).toEqual([0, 3, 1]);
  });

  it('keeps one piece even when a piece is larger than the bound', async () => {
    const { storage, reads } = countingStorage();
    const reader = new UploadReader(storage, PIECE, PIECE / 2);
    await reader.read(5);
    await reader.read(5);
    expect(reads).toEqual([5]);
    await reader.read(6);
    expect(reader.cachedPieces).toEqual([6]);
  });

  it('does not keep a failed read or a piece the store did not have', async () => {
    const { storage, reads } = countingStorage({ failing: new Set([1]), missing: new Set([2]) });
    const reader = new UploadReader(storage, PIECE, 4 * PIECE);
    await expect(reader.read(1)).rejects.toThrow('disk gone');
    expect(await reader.read(2)).toBeUndefined();
    await expect(reader.read(1)).rejects.toThrow('disk gone');
    expect(await reader.read(2)).toBeUndefined();
    expect(reads).toEqual([1, 2, 1, 2]);
    expect(reader.cachedPieces).toEqual([]);
  });

  it('forgets a piece the storage lost', async () => {
    const { storage, reads } = countingStorage();
    const reader = new UploadReader(storage, PIECE, 4 * PIECE);
    await reader.read(3);
    reader.forget(3);
    await reader.read(3);
    expect(reads).toEqual([3, 3]);
  });
});
