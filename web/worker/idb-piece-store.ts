// The browser's PieceStore: verified pieces as Blobs in one IndexedDB database, torrent records in
// another, through idb-keyval. A Blob read back from IndexedDB is backed by the browser's disk, so
// exporting a file composes Blob slices without reading the data into memory (file-export.ts).
//
// Writes are batched like libtorrent's disk queue: putPiece queues the piece and one `setMany`
// (one transaction) commits the queue when it reaches `batchBytes` or after `batchDelayMs`. Past
// `maxPendingBytes` of uncommitted data putPiece waits for the running write (back-pressure).
// A failed write loses only its own batch: IndexedDB transactions are atomic, so pieces committed
// earlier stay. The failure is reported by the next putPiece or flush, with the lost pieces.

import { createStore, del, delMany, get, keys, set, setMany, values } from 'idb-keyval';
import type { UseStore } from 'idb-keyval';
import type { PieceStore, TorrentRecord } from './piece-store.ts';

const MiB = 1024 * 1024;
/** Where the app keeps its data by default (tests read them too). */
export const DEFAULT_PIECES_DB = { dbName: 'tabtorrent-pieces', storeName: 'pieces' } as const;
export const DEFAULT_RECORDS_DB = { dbName: 'tabtorrent-torrents', storeName: 'records' } as const;
const DELETE_CHUNK_KEYS = 1000;

export interface PieceRef {
  infoHashHex: string;
  index: number;
}

/** Storage failed for a reason other than a full quota. Names the operation. */
export class StorageError extends Error {
  override name = 'StorageError';
  /** Pieces accepted by putPiece that were not stored because of this failure. */
  readonly lostPieces: PieceRef[] = [];
}

/** The browser refused to store more for this site (a QuotaExceededError). */
export class StorageFullError extends StorageError {
  override name = 'StorageFullError';
  constructor(
    message = "The browser's storage for this site is full: free some space (remove finished torrents) or allow more storage.",
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
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
  /** Above this many uncommitted bytes putPiece waits for the running write. */
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

  private queued: Batch = new Map();
  private queuedBytes = 0;
  private writing: Batch | undefined;
  private writingBytes = 0;
  /** The write loop, while it runs; it never rejects (failures go to `failure`). */
  private writer: Promise<void> | undefined;
  /** The running batch write, for back-pressure; never rejects. */
  private currentWrite: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A write failure not yet reported to a caller. */
  private failure: StorageError | undefined;

  constructor(options: IdbPieceStoreOptions = {}) {
    this.pieces = createStore(options.piecesDbName ?? DEFAULT_PIECES_DB.dbName, options.piecesStoreName ?? DEFAULT_PIECES_DB.storeName);
    this.records = createStore(options.recordsDbName ?? DEFAULT_RECORDS_DB.dbName, options.recordsStoreName ?? DEFAULT_RECORDS_DB.storeName);
    this.idb = { get, set, setMany, del, delMany, keys, values, ...options.idb };
    this.batchBytes = options.batchBytes ?? 8 * MiB;
    this.batchDelayMs = options.batchDelayMs ?? 50;
    this.maxPendingBytes = options.maxPendingBytes ?? 64 * MiB;
  }

  get pendingBytes(): number {
    return this.queuedBytes + this.writingBytes;
  }

  async putPiece(infoHashHex: string, index: number, bytes: Uint8Array): Promise<void> {
    this.throwFailure();
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
    while (this.pendingBytes > this.maxPendingBytes && this.currentWrite) await this.currentWrite;
    this.throwFailure();
  }

  async flush(): Promise<void> {
    await this.kick();
    this.throwFailure();
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

  async storedPieces(infoHashHex: string): Promise<number[]> {
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

  async deleteTorrent(infoHashHex: string, pieceCount: number): Promise<void> {
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
   * that a reload would not find (unless that write failed: the failure goes to putPiece/flush).
   */
  async putRecord(record: TorrentRecord): Promise<void> {
    await this.kick();
    await this.run(`writing the record of ${record.infoHashHex}`, () =>
      this.idb.set(record.infoHashHex, record, this.records),
    );
  }

  async getRecord(infoHashHex: string): Promise<TorrentRecord | undefined> {
    return this.run(`reading the record of ${infoHashHex}`, () =>
      this.idb.get<TorrentRecord>(infoHashHex, this.records),
    );
  }

  async listRecords(): Promise<TorrentRecord[]> {
    return this.run('listing the torrent records', () => this.idb.values<TorrentRecord>(this.records));
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
      }
    } finally {
      // Runs right after the last emptiness check: no piece is left queued without a writer.
      this.writer = undefined;
      this.currentWrite = undefined;
    }
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
      const error = toStorageError(`writing ${describeBatch(batch)}`, cause);
      this.failure ??= error;
      this.failure.lostPieces.push(...[...batch.values()].map(({ infoHashHex, index }) => ({ infoHashHex, index })));
    } finally {
      this.writing = undefined;
      this.writingBytes = 0;
    }
  }

  private throwFailure(): void {
    const failure = this.failure;
    if (!failure) return;
    this.failure = undefined;
    throw failure;
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

export function toStorageError(operation: string, cause: unknown): StorageError {
  if (isQuotaExceeded(cause)) return new StorageFullError(undefined, { cause });
  return new StorageError(`${operation} failed: ${describeCause(cause)}`, { cause });
}

/** True for a QuotaExceededError, also when wrapped (an event's target, `error` or `cause`). */
export function isQuotaExceeded(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const fields = error as { name?: unknown; error?: unknown; cause?: unknown; target?: unknown };
  if (fields.name === 'QuotaExceededError') return true;
  return [fields.error, fields.cause, fields.target].some((inner) => isQuotaExceeded(inner, depth + 1));
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message ? `${cause.name}: ${cause.message}` : cause.name;
  if (cause === null || cause === undefined) return 'unknown error (the transaction was aborted)';
  return String(cause);
}
