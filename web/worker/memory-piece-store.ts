import type { Bitfield } from '../../shared/bitfield.ts';
import { openingCompletion, type PieceStore, type TorrentRecord, type TorrentStorage, type WriteStatus } from './piece-store.ts';
import type { StorageError } from './storage-error.ts';

/** A PieceStore in memory, for tests. Not for real use: it holds everything it is given. */
export class MemoryPieceStore implements PieceStore {
  private readonly pieces = new Map<string, Uint8Array>();
  private readonly records = new Map<string, TorrentRecord>();

  async openTorrent(infoHashHex: string, pieceCount: number): Promise<TorrentStorage> {
    const record = this.records.get(infoHashHex);
    const completion = openingCompletion(pieceCount, this.storedPieces(infoHashHex), record);
    return new MemoryTorrentStorage(this, infoHashHex, completion, record && structuredClone(record));
  }

  async listRecords(): Promise<TorrentRecord[]> {
    return [...this.records.values()].map((record) => structuredClone(record));
  }

  async getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined> {
    return this.pieces.get(`${infoHashHex}/${index}`);
  }

  async flush(): Promise<void> {}

  /** Indices stored for a torrent (tests read them). */
  storedPieces(infoHashHex: string): number[] {
    const prefix = `${infoHashHex}/`;
    return [...this.pieces.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
  }

  putPiece(infoHashHex: string, index: number, bytes: Uint8Array): void {
    this.pieces.set(`${infoHashHex}/${index}`, bytes);
  }

  putRecord(record: TorrentRecord): void {
    this.records.set(record.infoHashHex, structuredClone(record));
  }

  getRecord(infoHashHex: string): TorrentRecord | undefined {
    const record = this.records.get(infoHashHex);
    return record && structuredClone(record);
  }

  deleteTorrent(infoHashHex: string, pieceCount: number): void {
    for (let i = 0; i < pieceCount; i++) this.pieces.delete(`${infoHashHex}/${i}`);
    this.records.delete(infoHashHex);
  }
}

/** One torrent's pieces in a MemoryPieceStore: writes land at once, so they never fill a queue. */
class MemoryTorrentStorage implements TorrentStorage {
  onWritable?: () => void;
  onLost?: (indices: number[], error: StorageError) => void;

  constructor(
    private readonly store: MemoryPieceStore,
    readonly infoHashHex: string,
    readonly completion: Bitfield,
    readonly record: TorrentRecord | undefined,
  ) {}

  putPiece(index: number, bytes: Uint8Array): WriteStatus {
    this.store.putPiece(this.infoHashHex, index, bytes);
    return 'queued';
  }
  getPiece(index: number): Promise<Uint8Array | undefined> {
    return this.store.getPiece(this.infoHashHex, index);
  }
  async flush(): Promise<void> {}
  async writeRecord(record: TorrentRecord): Promise<void> {
    this.store.putRecord(record);
  }
  async readRecord(): Promise<TorrentRecord | undefined> {
    return this.store.getRecord(this.infoHashHex);
  }
  async delete(): Promise<void> {
    this.store.deleteTorrent(this.infoHashHex, this.completion.length);
  }
  close(): void {}
}
