// A Node PieceStore that writes verified pieces into one file at their torrent offsets (bench and
// big interop runs: memory stays flat however large the torrent). One torrent per store; records
// stay in memory. Past MAX_PENDING_BYTES of unfinished writes a write says 'queue-full', and the
// torrent is woken once they drain below half of that. `{ complete: true }` seeds a file that is
// already whole (the torrent's own data file): every piece counts as stored and the file is only read.
import { open, type FileHandle } from 'node:fs/promises';
import type { Bitfield } from '../../shared/bitfield.ts';
import { openingCompletion, type PieceStore, type TorrentRecord, type TorrentStorage, type WriteStatus } from '../../web/worker/piece-store.ts';
import { toStorageError, type StorageError } from '../../web/worker/storage-error.ts';

const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export class DiskPieceStore implements PieceStore {
  pendingBytes = 0;
  private file?: Promise<FileHandle>;
  private readonly writes = new Set<Promise<void>>();
  private readonly stored = new Set<number>();
  private readonly records = new Map<string, TorrentRecord>();
  private torrent?: DiskTorrentStorage;
  private waiting = false;

  constructor(private readonly path: string, private readonly pieceLength: number, private readonly options: { complete?: boolean } = {}) {}

  async openTorrent(infoHashHex: string, pieceCount: number): Promise<TorrentStorage> {
    if (this.options.complete) {
      this.file ??= open(this.path, 'r');
      for (let index = 0; index < pieceCount; index++) this.stored.add(index);
    }
    const record = this.records.get(infoHashHex);
    this.torrent = new DiskTorrentStorage(this, infoHashHex, openingCompletion(pieceCount, this.stored, record), record);
    return this.torrent;
  }

  putPiece(index: number, bytes: Uint8Array): WriteStatus {
    this.file ??= open(this.path, 'w+');
    this.pendingBytes += bytes.length;
    const write = this.file
      .then((handle) => handle.write(bytes, 0, bytes.length, index * this.pieceLength))
      .then(() => { this.stored.add(index); })
      .catch((cause: unknown) => this.torrent?.onLost?.([index], toStorageError(`writing piece ${index}`, cause)))
      .finally(() => {
        this.pendingBytes -= bytes.length;
        this.writes.delete(write);
        if (this.waiting && this.pendingBytes <= MAX_PENDING_BYTES / 2) {
          this.waiting = false;
          this.torrent?.onWritable?.();
        }
      });
    this.writes.add(write);
    if (this.pendingBytes <= MAX_PENDING_BYTES) return 'queued';
    this.waiting = true;
    return 'queue-full';
  }

  async getPiece(_infoHashHex: string, index: number): Promise<Uint8Array | undefined> {
    if (!this.stored.has(index) || !this.file) return undefined;
    const handle = await this.file;
    const buffer = new Uint8Array(this.pieceLength);
    const { bytesRead } = await handle.read(buffer, 0, this.pieceLength, index * this.pieceLength);
    return buffer.subarray(0, bytesRead);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  deleteTorrent(infoHashHex: string): void {
    this.stored.clear();
    this.records.delete(infoHashHex);
  }

  putRecord(record: TorrentRecord): void {
    this.records.set(record.infoHashHex, record);
  }

  getRecord(infoHashHex: string): TorrentRecord | undefined {
    return this.records.get(infoHashHex);
  }

  async listRecords(): Promise<TorrentRecord[]> {
    return [...this.records.values()];
  }

  async close(): Promise<void> {
    await this.flush();
    await (await this.file)?.close();
  }
}

class DiskTorrentStorage implements TorrentStorage {
  onWritable?: () => void;
  onLost?: (indices: number[], error: StorageError) => void;

  constructor(private readonly store: DiskPieceStore, readonly infoHashHex: string, readonly completion: Bitfield, readonly record: TorrentRecord | undefined) {}

  putPiece(index: number, bytes: Uint8Array): WriteStatus {
    return this.store.putPiece(index, bytes);
  }
  getPiece(index: number): Promise<Uint8Array | undefined> {
    return this.store.getPiece(this.infoHashHex, index);
  }
  flush(): Promise<void> {
    return this.store.flush();
  }
  async writeRecord(record: TorrentRecord): Promise<void> {
    await this.store.flush();
    this.store.putRecord(record);
  }
  async readRecord(): Promise<TorrentRecord | undefined> {
    return this.store.getRecord(this.infoHashHex);
  }
  async delete(): Promise<void> {
    this.store.deleteTorrent(this.infoHashHex);
  }
  close(): void {}
}
