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
import type { TorrentRecord, TorrentStorage } from '../../../web/worker/piece-store.ts';

const HEX_A = 'aa'.repeat(20);
const HEX_B = 'bb'.repeat(20);
const HEX_C = 'cc'.repeat(20);
const PIECES = 300;
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

/** A handle that records what its store reports to it. */
async function openWatched(store: IdbPieceStore, infoHashHex: string, pieceCount = PIECES) {
  const storage = await store.openTorrent(infoHashHex, pieceCount);
  const heard = { lost: [] as { indices: number[]; error: StorageError }[], writable: 0 };
  storage.onLost = (indices, error) => heard.lost.push({ indices, error });
  storage.onWritable = () => heard.writable++;
  return { storage, heard };
}

function putAll(storage: TorrentStorage, indices: number[], length = KiB): void {
  for (const i of indices) storage.putPiece(i, pieceBytes(i, length));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('IdbPieceStore pieces', () => {
  it('round-trips a piece through IndexedDB as a Blob', async () => {
    const store = newStore();
    const a = await store.openTorrent(HEX_A, PIECES);
    expect(a.putPiece(3, pieceBytes(3))).toBe('queued');
    await a.flush();
    expect(store.pendingBytes).toBe(0);
    expect(await a.getPiece(3)).toEqual(pieceBytes(3));
    expect(await store.getPiece(HEX_A, 3)).toEqual(pieceBytes(3));
    const blob = await store.getPieceBlob(HEX_A, 3);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob?.size).toBe(KiB);
    expect(await a.getPiece(4)).toBeUndefined();
    expect(await store.getPiece(HEX_B, 3)).toBeUndefined();
  });

  it('opens a torrent with what it stored (keys and record bitfield), across a new store on the same databases', async () => {
    const first = newStore();
    const a = await first.openTorrent(HEX_A, 16);
    putAll(a, [0, 5]);
    await a.writeRecord({ ...record(HEX_A), bitfield: new Uint8Array([0b0000_0000, 0b0000_0001]) });
    const second = new IdbPieceStore({ piecesDbName: `test-pieces-${dbCount}`, recordsDbName: `test-records-${dbCount}` });
    expect(await second.getPiece(HEX_A, 0)).toEqual(pieceBytes(0));
    const reopened = await second.openTorrent(HEX_A, 16);
    expect(reopened.completion.toString()).toBe('1000010000000001');
    expect(reopened.record?.downloadedBytes).toBe(12);
    expect((await second.openTorrent(HEX_B, 16)).completion.count).toBe(0);
  });

  it('takes the buffer without a copy until its batch is written, then holds its own copy', async () => {
    const store = newStore({ batchDelayMs: 10_000 });
    const a = await store.openTorrent(HEX_A, PIECES);
    const bytes = pieceBytes(1);
    a.putPiece(1, bytes);
    expect(await a.getPiece(1)).toBe(bytes); // queued: the very buffer, no copy
    await a.flush();
    bytes.fill(0); // after the write the store no longer depends on the caller's buffer
    expect(await a.getPiece(1)).toEqual(pieceBytes(1));
  });

  it('serves a queued piece before it is written', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    const a = await store.openTorrent(HEX_A, PIECES);
    a.putPiece(7, pieceBytes(7));
    expect(spy.calls).toBe(0);
    expect(store.pendingBytes).toBe(KiB);
    expect(await a.getPiece(7)).toEqual(pieceBytes(7));
    expect((await store.openTorrent(HEX_A, PIECES)).completion.get(7)).toBe(true);
    await store.flush();
    expect(spy.calls).toBe(1);
    expect(store.pendingBytes).toBe(0);
  });

  it('batches many small pieces into few writes by size, across torrents', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchBytes: 64 * KiB, batchDelayMs: 10_000 });
    const a = await store.openTorrent(HEX_A, PIECES);
    const b = await store.openTorrent(HEX_B, PIECES);
    for (let i = 0; i < 128; i++) {
      a.putPiece(i, pieceBytes(i, 4 * KiB));
      b.putPiece(i, pieceBytes(i, 4 * KiB));
    }
    await store.flush();
    expect(store.pendingBytes).toBe(0);
    expect(spy.entries.reduce((x, y) => x + y, 0)).toBe(256);
    expect(spy.calls).toBeGreaterThanOrEqual(4);
    expect(spy.calls).toBeLessThanOrEqual(20);
    expect((await store.openTorrent(HEX_A, PIECES)).completion.count).toBe(128);
    expect(await b.getPiece(100)).toEqual(pieceBytes(100, 4 * KiB));
  });

  it('writes a small queue after the batch delay without a flush', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 20 });
    putAll(await store.openTorrent(HEX_A, PIECES), range(0, 5));
    expect(spy.calls).toBe(0);
    await vi_waitFor(() => store.pendingBytes === 0);
    expect(spy.calls).toBe(1);
    expect(spy.entries).toEqual([5]);
  });

  it('says queue-full past its limit and wakes exactly the torrents told so when it drains (no polling)', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSetMany = (async (entries, customStore) => {
      await gate;
      return setMany(entries, customStore);
    }) as typeof setMany;
    const store = newStore({ idb: { setMany: slowSetMany }, batchBytes: 8 * KiB, maxPendingBytes: 16 * KiB, batchDelayMs: 10_000 });
    const a = await openWatched(store, HEX_A);
    const b = await openWatched(store, HEX_B);
    for (let i = 0; i < 8; i++) expect(a.storage.putPiece(i, pieceBytes(i, 2 * KiB))).toBe('queued'); // 16 KiB: a write starts
    expect(a.storage.putPiece(8, pieceBytes(8, 2 * KiB))).toBe('queue-full');
    expect(store.pendingBytes).toBe(18 * KiB);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.heard.writable).toBe(0);
    release();
    await store.flush();
    expect(a.heard.writable).toBe(1);
    expect(b.heard.writable).toBe(0); // never told to wait: not woken
    expect(store.pendingBytes).toBe(0);
    expect((await store.openTorrent(HEX_A, PIECES)).completion.count).toBe(9);
  });

  it('deletes a torrent: its pieces (written and queued) and its record, not others', async () => {
    const store = newStore({ batchDelayMs: 10_000 });
    const a = await store.openTorrent(HEX_A, 11);
    const b = await store.openTorrent(HEX_B, 11);
    putAll(a, range(0, 10));
    b.putPiece(0, pieceBytes(0));
    await store.flush();
    a.putPiece(10, pieceBytes(10));
    await a.writeRecord(record(HEX_A));
    await b.writeRecord(record(HEX_B));

    await a.delete();
    const reopened = await store.openTorrent(HEX_A, 11);
    expect(reopened.completion.count).toBe(0);
    expect(reopened.record).toBeUndefined();
    expect(await store.getPiece(HEX_A, 10)).toBeUndefined();
    expect(await store.getPiece(HEX_B, 0)).toEqual(pieceBytes(0));
    expect(await b.readRecord()).toEqual(record(HEX_B));
    expect(store.pendingBytes).toBe(0);
  });
});

describe('IdbPieceStore records', () => {
  it('round-trips records with their Uint8Array fields', async () => {
    const store = newStore();
    await (await store.openTorrent(HEX_A, 0)).writeRecord(record(HEX_A));
    await (await store.openTorrent(HEX_B, 0)).writeRecord({ ...record(HEX_B), paused: true });
    const read = await (await store.openTorrent(HEX_A, 0)).readRecord();
    expect(read).toEqual(record(HEX_A));
    expect(read?.bitfield).toBeInstanceOf(Uint8Array);
    expect(read?.torrentBytes).toBeInstanceOf(Uint8Array);
    const all = await store.listRecords();
    expect(all.map((r) => r.infoHashHex).sort()).toEqual([HEX_A, HEX_B]);
    expect(all.find((r) => r.infoHashHex === HEX_B)?.paused).toBe(true);
    expect(await (await store.openTorrent(HEX_C, 0)).readRecord()).toBeUndefined();
  });

  it('writes queued pieces before a record, so its bitfield is never ahead of the pieces', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    const a = await store.openTorrent(HEX_A, PIECES);
    a.putPiece(0, pieceBytes(0));
    await a.writeRecord(record(HEX_A));
    expect(spy.calls).toBe(1);
    expect(store.pendingBytes).toBe(0);
  });
});

describe('IdbPieceStore failures', () => {
  it('reports a failed batch to each torrent in it with exactly its own lost pieces, and nothing to a third', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    const a = await openWatched(store, HEX_A);
    const b = await openWatched(store, HEX_B);
    const c = await openWatched(store, HEX_C);
    putAll(a.storage, [0, 1]);
    putAll(c.storage, [0]);
    await store.flush(); // committed: not lost later

    spy.failWith = new DOMException('disk gone', 'UnknownError');
    putAll(a.storage, [4, 2, 3]);
    putAll(b.storage, [7]);
    await store.flush(); // a failed write does not throw at the flusher: it goes to the torrents
    expect(a.heard.lost.map((l) => l.indices)).toEqual([[2, 3, 4]]);
    expect(b.heard.lost.map((l) => l.indices)).toEqual([[7]]);
    expect(c.heard.lost).toEqual([]);
    const error = a.heard.lost[0]!.error;
    expect(error).toBeInstanceOf(StorageError);
    expect(error).not.toBeInstanceOf(StorageFullError);
    expect(error.message).toBe(`writing 3 pieces of ${HEX_A}, 1 piece of ${HEX_B} failed: UnknownError: disk gone`);
    expect(store.pendingBytes).toBe(0);
    expect(await a.storage.getPiece(3)).toBeUndefined();
    expect(await a.storage.getPiece(1)).toEqual(pieceBytes(1));
    expect((await store.openTorrent(HEX_A, PIECES)).completion.count).toBe(2);

    // The store works again afterwards, and a closed handle hears nothing.
    spy.failWith = undefined;
    putAll(a.storage, [2]);
    await store.flush();
    expect(await a.storage.getPiece(2)).toEqual(pieceBytes(2));
    spy.failWith = new DOMException('disk gone', 'UnknownError');
    b.storage.close();
    putAll(b.storage, [8]);
    await store.flush();
    expect(b.heard.lost).toHaveLength(1);
  });

  it('turns a QuotaExceededError into StorageFullError and keeps the pieces committed before', async () => {
    const spy = countingSetMany();
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 10_000 });
    const a = await openWatched(store, HEX_A);
    putAll(a.storage, range(0, 3));
    await store.flush();

    spy.failWith = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    putAll(a.storage, range(3, 6));
    await store.flush();
    const full = a.heard.lost[0]!.error;
    expect(full).toBeInstanceOf(StorageFullError);
    expect(full.name).toBe('StorageFullError');
    expect(full.message).toBe(
      "The browser's storage for this site is full: free some space (remove finished torrents) or allow more storage.",
    );
    expect(a.heard.lost[0]!.indices).toEqual([3, 4, 5]);
    for (let i = 0; i < 3; i++) expect(await a.storage.getPiece(i)).toEqual(pieceBytes(i));
    expect(await a.storage.getPiece(4)).toBeUndefined();
  });

  it('reports a failed background write (batch timer) without anyone flushing', async () => {
    const spy = countingSetMany();
    spy.failWith = new DOMException('quota', 'QuotaExceededError');
    const store = newStore({ idb: { setMany: spy.setMany }, batchDelayMs: 5 });
    const a = await openWatched(store, HEX_A);
    a.storage.putPiece(0, pieceBytes(0));
    await vi_waitFor(() => a.heard.lost.length === 1);
    expect(a.heard.lost[0]!.indices).toEqual([0]);
    expect(a.heard.lost[0]!.error).toBeInstanceOf(StorageFullError);
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
