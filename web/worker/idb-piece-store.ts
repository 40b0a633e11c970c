// The browser's PieceStore: verified pieces as Blobs in one IndexedDB database, torrent records in
// another, through idb-keyval. A Blob read back from IndexedDB is backed by the browser's disk, so
// exporting a file composes Blob slices without reading the data into memory (file-export.ts).
//
// Writes are batched like libtorrent's disk queue: a torrent's handle queues the piece and one
// `setMany` (one transaction) commits the queue, across torrents, when it reaches `batchBytes` or
// after `batchDelayMs`. Past `maxPendingBytes` of uncommitted data a write says 'queue-full' and the
// torrent waits until the queue drains below half of that (its handle's onWritable: pushed, never
// polled). A failed write loses only its own batch (IndexedDB transactions are atomic): each torrent
// in it hears, through its handle's onLost, exactly which of its pieces were lost.

import { createStore, del, delMany, get, keys, set, setMany, values } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import { openingCompletion, type PieceStore, type TorrentRecord, type WriteStatus } from './piece-store.ts';
import { IdbTorrentStorage, type IdbTorrentBackend } from './idb-torrent-storage.ts';
import { StorageError, toStorageError } from './storage-error.ts';

export { StorageError, StorageFullError, isQuotaExceeded, toStorageError } from './storage-error.ts';

const MiB = 1024 * 1024;
/** Where the app keeps its data by default (tests read them too). */
export const DEFAULT_PIECES_DB = { dbName: 'tabtorrent-pieces', storeName: 'pieces' } as const;
export const DEFAULT_RECORDS_DB = { dbName: 'tabtorrent-torrents', storeName: 'records' } as const;
const DELETE_CHUNK_KEYS = 1000;

export interface PieceRef {
  infoHashHex: string;
  index: number;
}

/** The idb-keyval functions the store uses; tests replace some to count or fail writes. */
export interface IdbFunctions {
  get: typeof get;
  set: typeof set;
  setMany: typeof setMany;
  del: typeof del;
  delMany: typeof delMany;
  keys: typeof keys;
  values: typeof values;
}

export interface IdbPieceStoreOptions {
  piecesDbName?: string;
  piecesStoreName?: string;
  recordsDbName?: string;
  recordsStoreName?: string;
  /** Commit the queue once it holds this many bytes. */
  batchBytes?: number;
  /** Commit the queue this long after its first piece at the latest. */
  batchDelayMs?: number;
  /** Above this many uncommitted bytes a write says 'queue-full'; below half, waiting torrents wake. */
  maxPendingBytes?: number;
  idb?: Partial<IdbFunctions>;
}

interface QueuedPiece extends PieceRef {
  /** A private copy of the piece; it becomes a slice of its batch's Blob when written. */
  bytes: Uint8Array<ArrayBuffer>;
}

type Batch = Map<string, QueuedPiece>;

export class IdbPieceStore implements PieceStore {
  private readonly pieces: UseStore;
  private readonly records: UseStore;
  private readonly idb: IdbFunctions;
  private readonly batchBytes: number;
  private readonly batchDelayMs: number;
  private readonly maxPendingBytes: number;
  /** The open handles, by info-hash: where failures and wake-ups go. */
  private readonly handles = new Map<string, IdbTorrentStorage>();
  /** Handles told 'queue-full', to wake when the queue drains. */
  private readonly waiting = new Set<IdbTorrentStorage>();
  private readonly backend: IdbTorrentBackend;

  private queued: Batch = new Map();
  private queuedBytes = 0;
  private writing: Batch | undefined;
  private writingBytes = 0;
  /** The write loop, while it runs; it never rejects (failures go to the handles' onLost). */
  private writer: Promise<void> | undefined;
  /** The running batch write; never rejects. */
  private currentWrite: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: IdbPieceStoreOptions = {}) {
    this.pieces = createStore(options.piecesDbName ?? DEFAULT_PIECES_DB.dbName, options.piecesStoreName ?? DEFAULT_PIECES_DB.storeName);
    this.records = createStore(options.recordsDbName ?? DEFAULT_RECORDS_DB.dbName, options.recordsStoreName ?? DEFAULT_RECORDS_DB.storeName);
    this.idb = { get, set, setMany, del, delMany, keys, values, ...options.idb };
    this.batchBytes = options.batchBytes ?? 8 * MiB;
    this.batchDelayMs = options.batchDelayMs ?? 50;
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * MiB;
    this.backend = {
      queuePiece: (storage, index, bytes) => this.queuePiece(storage, index, bytes),
      getPiece: (hex, index) => this.getPiece(hex, index),
      flush: () => this.flush(),
      writeRecord: (record) => this.writeRecord(record),
      readRecord: (hex) => this.readRecord(hex),
      deleteTorrent: (hex, pieceCount) => this.deleteTorrent(hex, pieceCount),
      release: (storage) => this.release(storage),
    };
  }

  /** Bytes queued but not yet durable. */
  get pendingBytes(): number {
    return this.queuedBytes + this.writingBytes;
  }

  async openTorrent(infoHashHex: string, pieceCount: number): Promise<IdbTorrentStorage> {
    const record = await this.readRecord(infoHashHex);
    const stored = pieceCount > 0 ? await this.storedPieces(infoHashHex) : [];
    const storage = new IdbTorrentStorage(this.backend, infoHashHex, openingCompletion(pieceCount, stored, record), record);
    this.handles.set(infoHashHex, storage); // a handle opened again replaces the old one
    return storage;
  }

  async flush(): Promise<void> {
    await this.kick();
  }

  async getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined> {
    const key = pieceKey(infoHashHex, index);
    const pending = this.queued.get(key) ?? this.writing?.get(key);
    if (pending) return pending.bytes;
    const blob = await this.getPieceBlob(infoHashHex, index);
    return blob && new Uint8Array(await blob.arrayBuffer());
  }

  /** The stored piece as a Blob (disk-backed when it comes from IndexedDB). Not in PieceStore. */
  async getPieceBlob(infoHashHex: string, index: number): Promise<Blob | undefined> {
    const key = pieceKey(infoHashHex, index);
    const pending = this.queued.get(key) ?? this.writing?.get(key);
    if (pending) return new Blob([pending.bytes]);
    const value = await this.run(`reading piece ${index} of ${infoHashHex}`, () =>
      this.idb.get<Blob | Uint8Array>(key, this.pieces),
    );
    if (value === undefined || value instanceof Blob) return value;
    return new Blob([value as Uint8Array<ArrayBuffer>]);
  }

  async listRecords(): Promise<TorrentRecord[]> {
    return this.run('listing the torrent records', () => this.idb.values<TorrentRecord>(this.records));
  }

  private queuePiece(storage: IdbTorrentStorage, index: number, bytes: Uint8Array): WriteStatus {
    const infoHashHex = storage.infoHashHex;
    const key = pieceKey(infoHashHex, index);
    const previous = this.queued.get(key);
    if (previous) this.queuedBytes -= previous.bytes.length;
    // The store takes the buffer (PieceStore contract: no copy). The Blob is made per batch:
    // creating a Blob costs a round trip to the browser process, whatever its size (profiled).
    this.queued.set(key, { infoHashHex, index, bytes: bytes as Uint8Array<ArrayBuffer> });
    this.queuedBytes += bytes.length;

    if (this.queuedBytes >= this.batchBytes) void this.kick();
    else if (!this.writer && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.kick();
      }, this.batchDelayMs);
    }
    if (this.pendingBytes <= this.maxPendingBytes) return 'queued';
    this.waiting.add(storage);
    void this.kick(); // a full queue is written now, whatever its batch timer says
    return 'queue-full';
  }

  /** Pieces stored for a torrent (all verified: only verified pieces are stored). */
  private async storedPieces(infoHashHex: string): Promise<number[]> {
    const prefix = `${infoHashHex}:`;
    const stored = await this.run(`listing the pieces of ${infoHashHex}`, () => this.idb.keys(this.pieces));
    const indices = new Set<number>();
    for (const key of stored) {
      if (typeof key === 'string' && key.startsWith(prefix)) indices.add(Number(key.slice(prefix.length)));
    }
    for (const piece of [...this.queued.values(), ...(this.writing?.values() ?? [])]) {
      if (piece.infoHashHex === infoHashHex) indices.add(piece.index);
    }
    return [...indices].sort((a, b) => a - b);
  }

  private async deleteTorrent(infoHashHex: string, pieceCount: number): Promise<void> {
    for (const [key, piece] of this.queued) {
      if (piece.infoHashHex !== infoHashHex) continue;
      this.queued.delete(key);
      this.queuedBytes -= piece.bytes.length;
    }
    // A batch being written may hold some of its pieces: let it land, then delete them too.
    if (this.currentWrite) await this.currentWrite;
    for (let start = 0; start < pieceCount; start += DELETE_CHUNK_KEYS) {
      const chunk: string[] = [];
      for (let i = start; i < Math.min(pieceCount, start + DELETE_CHUNK_KEYS); i++) chunk.push(pieceKey(infoHashHex, i));
      await this.run(`deleting the pieces of ${infoHashHex}`, () => this.idb.delMany(chunk, this.pieces));
    }
    await this.run(`deleting the record of ${infoHashHex}`, () => this.idb.del(infoHashHex, this.records));
  }

  /**
   * Waits for queued pieces to be written first, so a record's bitfield never claims a piece
   * that a reload would not find (a failed write has un-set its pieces through onLost by then).
   */
  private async writeRecord(record: TorrentRecord): Promise<void> {
    await this.kick();
    await this.run(`writing the record of ${record.infoHashHex}`, () =>
      this.idb.set(record.infoHashHex, record, this.records),
    );
  }

  private readRecord(infoHashHex: string): Promise<TorrentRecord | undefined> {
    return this.run(`reading the record of ${infoHashHex}`, () =>
      this.idb.get<TorrentRecord>(infoHashHex, this.records),
    );
  }

  private release(storage: IdbTorrentStorage): void {
    this.waiting.delete(storage);
    if (this.handles.get(storage.infoHashHex) === storage) this.handles.delete(storage.infoHashHex);
  }

  /** Starts the write loop unless it runs; resolves when the queue is empty and written. */
  private kick(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.writer && this.queued.size > 0) this.writer = this.writeAll();
    return this.writer ?? Promise.resolve();
  }

  private async writeAll(): Promise<void> {
    try {
      // Pieces queued during a write go into the next batch (group commit).
      while (this.queued.size > 0) {
        this.currentWrite = this.writeBatch(this.takeBatch());
        await this.currentWrite;
        this.wakeWriters();
      }
    } finally {
      // Runs right after the last emptiness check: no piece is left queued without a writer.
      this.writer = undefined;
      this.currentWrite = undefined;
    }
  }

  /** Below the low mark (half the limit) every torrent told 'queue-full' may write again. */
  private wakeWriters(): void {
    if (this.waiting.size === 0 || this.pendingBytes > this.maxPendingBytes / 2) return;
    const waking = [...this.waiting];
    this.waiting.clear();
    for (const storage of waking) storage.onWritable?.();
  }

  /** Moves the oldest queued pieces, about `batchBytes` of them, to `writing`. */
  private takeBatch(): Batch {
    const batch: Batch = new Map();
    let batchBytes = 0;
    for (const [key, piece] of this.queued) {
      if (batchBytes >= this.batchBytes) break;
      batch.set(key, piece);
      batchBytes += piece.bytes.length;
      this.queued.delete(key);
    }
    this.queuedBytes -= batchBytes;
    this.writing = batch;
    this.writingBytes = batchBytes;
    return batch;
  }

  private async writeBatch(batch: Batch): Promise<void> {
    try {
      // One Blob for the whole batch; each piece is stored as a slice of it (slices share data).
      const pieces = [...batch];
      const whole = new Blob(pieces.map(([, piece]) => piece.bytes));
      let offset = 0;
      const entries: [string, Blob][] = pieces.map(([key, piece]) => {
        const slice = whole.slice(offset, offset + piece.bytes.length);
        offset += piece.bytes.length;
        return [key, slice];
      });
      await this.idb.setMany(entries, this.pieces);
    } catch (cause) {
      this.writing = undefined;
      this.writingBytes = 0;
      this.reportLost(batch, toStorageError(`writing ${describeBatch(batch)}`, cause));
    } finally {
      this.writing = undefined;
      this.writingBytes = 0;
    }
  }

  /** Tells each torrent in a failed batch which of its pieces it lost; nobody else hears of it. */
  private reportLost(batch: Batch, error: StorageError): void {
    const lostByTorrent = new Map<string, number[]>();
    for (const { infoHashHex, index } of batch.values()) {
      const indices = lostByTorrent.get(infoHashHex) ?? [];
      indices.push(index);
      lostByTorrent.set(infoHashHex, indices);
    }
    for (const [infoHashHex, indices] of lostByTorrent) {
      this.handles.get(infoHashHex)?.onLost?.(indices.sort((a, b) => a - b), error);
    }
  }

  private async run<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      throw toStorageError(operation, cause);
    }
  }
}

function pieceKey(infoHashHex: string, index: number): string {
  return `${infoHashHex}:${index}`;
}

/** "12 pieces of <hex>", or several such parts when a batch spans torrents. */
function describeBatch(batch: Batch): string {
  const counts = new Map<string, number>();
  for (const piece of batch.values()) counts.set(piece.infoHashHex, (counts.get(piece.infoHashHex) ?? 0) + 1);
  return [...counts].map(([hex, count]) => `${count} ${count === 1 ? 'piece' : 'pieces'} of ${hex}`).join(', ');
}
