import 'fake-indexeddb/auto';
import { setMany } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import {
  IdbPieceStore,
  isQuotaExceeded,
  StorageError,
  StorageFullError,
} from '../../../web/worker/idb-piece-store.ts';
import type { IdbPieceStoreOptions } from '../../../web/worker/idb-piece-store.ts';
import type { TorrentRecord } from '../../../web/worker/piece-store.ts';

const HEX_A = 'aa'.repeat(20);
const HEX_B = 'bb'.repeat(20);
const KiB = 1024;

let dbCount = 0;
/** A store on fresh databases, so tests do not see each other's pieces. */
function newStore(options: IdbPieceStoreOptions = {}): IdbPieceStore {
  dbCount++;
  return new IdbPieceStore({
    piecesDbName: `test-pieces-${dbCount}`,
    recordsDbName: `test-records-${dbCount}`,
    ...options,
  });
}

function pieceBytes(index: number, length = 1 * KiB): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (index * 31 + i) & 0xff;
  return bytes;
}

/** setMany that counts its calls and can be told to fail with a given error. */
function countingSetMany() {
  const spy = {
    calls: 0,
    entries: [] as number[],
    failWith: undefined as unknown,
    setMany: (async (entries, customStore) => {
      spy.calls++;
      spy.entries.push(entries.length);
      if (spy.failWith !== undefined) throw spy.failWith;
      return setMany(entries, customStore);
    }) as typeof setMany,
  };
  return spy;
}

function record(infoHashHex: string): TorrentRecord {
  return {
    infoHashHex,
    torrentBytes: new Uint8Array([0x64, 0x65]),
    bitfield: new Uint8Array([0b1010_0000, 0xff]),
    selectedFiles: [true, false],
    paused: false,
    addedAt: 1_700_000_000_000,
    downloadedBytes: 12,
    uploadedBytes: 3,
  };
}

describe('IdbPieceStore pieces', () => {
  it('round-trips a piece through IndexedDB as a Blob', async () => {
    const store = newStore();
    await store.putPiece(HEX_A, 3, pieceBytes(3));
    await store.flush();
    expect(store.pendingBytes).toBe(0);
    expect(await store.getPiece(HEX_A, 3)).toEqual(pieceBytes(3));
    const blob = await store.getPieceBlob(HEX_A, 3);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob?.size).toBe(KiB);
    expect(await store.getPiece(HEX_A, 4)).toBeUndefined();
    expect(await store.getPiece(HEX_B, 3)).toBeUndefined();
  });

  it('keeps what it stored across a new store on the same databases', async () => {
    const first = newStore();
    await first.putPiece(HEX_A, 0, pieceBytes(0));
    await first.flush();
    const second = new IdbPieceStore({ piecesDbName: `test-pieces-${dbCount}`, recordsDbName: `test-records-${dbCount}` });
    expect(await second.getPiece(HEX_A, 0)).toEqual(pieceBytes(0));
  });

  it('takes the buffer without a copy until its batch is written, then holds its own copy', async () => {
    const store = newStore({ batchDelayMs: 10_000 });
    const bytes = pieceBytes(1);
    await store.putPiece(HEX_A, 1, bytes);
    expect(await store.getPiece(HEX_A, 1)).toBe(bytes); // queued: the very buffer, no copy
    await store.flush();
    bytes.fill(0); // after the write the store no longer depends on the caller's buffer
    expect(await store.getPiece(HEX_A, 1)).toEqual(pieceBytes(1));
  });

  it('serves a queued piece before it is written', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    await store.putPiece(HEX_A, 7, pieceBytes(7));
    expect(spy.calls).toBe(0);
    expect(store.pendingBytes).toBe(KiB);
    expect(await store.getPiece(HEX_A, 7)).toEqual(pieceBytes(7));
    expect(await store.storedPieces(HEX_A)).toEqual([7]);
    await store.flush();
    expect(spy.calls).toBe(1);
    expect(store.pendingBytes).toBe(0);
  });

  it('batches many small pieces into few writes by size', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchBytes: 64 * KiB, batchDelayMs: 10_000 });
    for (let i = 0; i < 256; i++) await store.putPiece(HEX_A, i, pieceBytes(i, 4 * KiB));
    await store.flush();
    expect(store.pendingBytes).toBe(0);
    expect(spy.entries.reduce((a, b) => a + b, 0)).toBe(256);
    expect(spy.calls).toBeGreaterThanOrEqual(4);
    expect(spy.calls).toBeLessThanOrEqual(20);
    expect(await store.storedPieces(HEX_A)).toEqual([...Array(256).keys()]);
    expect(await store.getPiece(HEX_A, 200)).toEqual(pieceBytes(200, 4 * KiB));
  });

  it('writes a small queue after the batch delay without a flush', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 20 });
    for (let i = 0; i < 5; i++) await store.putPiece(HEX_A, i, pieceBytes(i));
    expect(spy.calls).toBe(0);
    await vi_waitFor(() => store.pendingBytes === 0);
    expect(spy.calls).toBe(1);
    expect(spy.entries).toEqual([5]);
  });

  it('makes putPiece wait when too much is pending (back-pressure)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSetMany = (async (entries, customStore) => {
      await gate;
      return setMany(entries, customStore);
    }) as typeof setMany;
    const store = newStore({
      idb: { setMany: slowSetMany },
      batchBytes: 8 * KiB,
      maxPendingBytes: 16 * KiB,
      batchDelayMs: 10_000,
    });
    for (let i = 0; i < 8; i++) await store.putPiece(HEX_A, i, pieceBytes(i, 2 * KiB)); // 16 KiB: a write starts
    let done = false;
    const blocked = store.putPiece(HEX_A, 8, pieceBytes(8, 2 * KiB)).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(store.pendingBytes).toBe(18 * KiB);
    release();
    await blocked;
    await store.flush();
    expect(store.pendingBytes).toBe(0);
    expect(await store.storedPieces(HEX_A)).toHaveLength(9);
  });

  it('lists stored pieces per torrent, in order', async () => {
    const store = newStore();
    for (const i of [5, 1, 3]) await store.putPiece(HEX_A, i, pieceBytes(i));
    await store.putPiece(HEX_B, 2, pieceBytes(2));
    await store.flush();
    await store.putPiece(HEX_A, 4, pieceBytes(4)); // still queued
    expect(await store.storedPieces(HEX_A)).toEqual([1, 3, 4, 5]);
    expect(await store.storedPieces(HEX_B)).toEqual([2]);
    expect(await store.storedPieces('cc'.repeat(20))).toEqual([]);
  });

  it('deletes a torrent: its pieces (written and queued) and its record, not others', async () => {
    const store = newStore({ batchDelayMs: 10_000 });
    for (let i = 0; i < 10; i++) await store.putPiece(HEX_A, i, pieceBytes(i));
    await store.putPiece(HEX_B, 0, pieceBytes(0));
    await store.flush();
    await store.putPiece(HEX_A, 10, pieceBytes(10));
    await store.putRecord(record(HEX_A));
    await store.putRecord(record(HEX_B));

    await store.deleteTorrent(HEX_A, 11);
    expect(await store.storedPieces(HEX_A)).toEqual([]);
    expect(await store.getPiece(HEX_A, 10)).toBeUndefined();
    expect(await store.getRecord(HEX_A)).toBeUndefined();
    expect(await store.storedPieces(HEX_B)).toEqual([0]);
    expect(await store.getRecord(HEX_B)).toEqual(record(HEX_B));
    expect(store.pendingBytes).toBe(0);
  });
});

describe('IdbPieceStore records', () => {
  it('round-trips records with their Uint8Array fields', async () => {
    const store = newStore();
    await store.putRecord(record(HEX_A));
    await store.putRecord({ ...record(HEX_B), paused: true });
    const read = await store.getRecord(HEX_A);
    expect(read).toEqual(record(HEX_A));
    expect(read?.bitfield).toBeInstanceOf(Uint8Array);
    expect(read?.torrentBytes).toBeInstanceOf(Uint8Array);
    const all = await store.listRecords();
    expect(all.map((r) => r.infoHashHex).sort()).toEqual([HEX_A, HEX_B]);
    expect(all.find((r) => r.infoHashHex === HEX_B)?.paused).toBe(true);
    expect(await store.getRecord('cc'.repeat(20))).toBeUndefined();
  });

  it('writes queued pieces before a record, so its bitfield is never ahead of the pieces', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    await store.putPiece(HEX_A, 0, pieceBytes(0));
    await store.putRecord(record(HEX_A));
    expect(spy.calls).toBe(1);
    expect(store.pendingBytes).toBe(0);
  });
});

describe('IdbPieceStore failures', () => {
  it('turns a QuotaExceededError into StorageFullError and keeps the pieces committed before', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    for (let i = 0; i < 3; i++) await store.putPiece(HEX_A, i, pieceBytes(i));
    await store.flush();

    spy.failWith = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    for (let i = 3; i < 6; i++) await store.putPiece(HEX_A, i, pieceBytes(i));
    const error = await store.flush().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageFullError);
    expect(error).toBeInstanceOf(StorageError);
    const full = error as StorageFullError;
    expect(full.name).toBe('StorageFullError');
    expect(full.message).toBe(
      "The browser's storage for this site is full: free some space (remove finished torrents) or allow more storage.",
    );
    expect(full.lostPieces).toEqual([3, 4, 5].map((index) => ({ infoHashHex: HEX_A, index })));
    expect(store.pendingBytes).toBe(0);

    for (let i = 0; i < 3; i++) expect(await store.getPiece(HEX_A, i)).toEqual(pieceBytes(i));
    expect(await store.getPiece(HEX_A, 4)).toBeUndefined();
    expect(await store.storedPieces(HEX_A)).toEqual([0, 1, 2]);

    // Reported once; the store works again when space is freed.
    spy.failWith = undefined;
    await store.putPiece(HEX_A, 3, pieceBytes(3));
    await store.flush();
    expect(await store.storedPieces(HEX_A)).toEqual([0, 1, 2, 3]);
  });

  it('reports a failed background write to the next putPiece', async () => {
    const spy = countingSetMany();
    spy.failWith = new DOMException('quota', 'QuotaExceededError');
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 5 });
    await store.putPiece(HEX_A, 0, pieceBytes(0));
    await vi_waitFor(() => spy.calls === 1 && store.pendingBytes === 0);
    await expect(store.putPiece(HEX_A, 1, pieceBytes(1))).rejects.toBeInstanceOf(StorageFullError);
  });

  it('names the operation for other IndexedDB failures', async () => {
    const spy = countingSetMany();
    spy.failWith = new DOMException('disk gone', 'UnknownError');
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    for (let i = 0; i < 12; i++) await store.putPiece(HEX_A, i, pieceBytes(i));
    await store.putPiece(HEX_B, 0, pieceBytes(0));
    const error = await store.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toBe(
      `writing 12 pieces of ${HEX_A}, 1 piece of ${HEX_B} failed: UnknownError: disk gone`,
    );
  });

  it('names the operation when a read fails', async () => {
    const store = newStore({
      idb: {
        get: async () => {
          throw new DOMException('gone', 'InvalidStateError');
        },
      },
    });
    await expect(store.getPiece(HEX_A, 5)).rejects.toThrow(`reading piece 5 of ${HEX_A} failed: InvalidStateError: gone`);
  });

  it('finds a QuotaExceededError nested in other errors', () => {
    const quota = new DOMException('q', 'QuotaExceededError');
    expect(isQuotaExceeded(quota)).toBe(true);
    expect(isQuotaExceeded({ name: 'AbortError', error: quota })).toBe(true);
    expect(isQuotaExceeded(new Error('aborted', { cause: quota }))).toBe(true);
    expect(isQuotaExceeded({ type: 'abort', target: { error: quota } })).toBe(true);
    expect(isQuotaExceeded(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaExceeded(null)).toBe(false);
  });
});

async function vi_waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
