// One torrent's view of the IndexedDB store (PieceStore.openTorrent). The store batches writes
// across torrents (one transaction per batch measured fastest); this handle is where it routes the
// failures and the wake-ups that belong to this torrent.
import type { Bitfield } from '../../shared/bitfield.ts';
import type { TorrentRecord, TorrentStorage, WriteStatus } from './piece-store.ts';
import type { StorageError } from './storage-error.ts';

/** What the handle needs from its store, keyed by its info-hash. */
export interface IdbTorrentBackend {
  queuePiece(storage: IdbTorrentStorage, index: number, bytes: Uint8Array): WriteStatus;
  getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined>;
  flush(): Promise<void>;
  writeRecord(record: TorrentRecord): Promise<void>;
  readRecord(infoHashHex: string): Promise<TorrentRecord | undefined>;
  deleteTorrent(infoHashHex: string, pieceCount: number): Promise<void>;
  release(storage: IdbTorrentStorage): void;
}

export class IdbTorrentStorage implements TorrentStorage {
  onWritable?: () => void;
  onLost?: (indices: number[], error: StorageError) => void;

  constructor(
    private readonly backend: IdbTorrentBackend,
    readonly infoHashHex: string,
    readonly completion: Bitfield,
    readonly record: TorrentRecord | undefined,
  ) {}

  putPiece(index: number, bytes: Uint8Array): WriteStatus {
    return this.backend.queuePiece(this, index, bytes);
  }

  getPiece(index: number): Promise<Uint8Array | undefined> {
    return this.backend.getPiece(this.infoHashHex, index);
  }

  flush(): Promise<void> {
    return this.backend.flush();
  }

  writeRecord(record: TorrentRecord): Promise<void> {
    return this.backend.writeRecord(record);
  }

  readRecord(): Promise<TorrentRecord | undefined> {
    return this.backend.readRecord(this.infoHashHex);
  }

  async delete(): Promise<void> {
    this.close();
    await this.backend.deleteTorrent(this.infoHashHex, this.completion.length);
  }

  close(): void {
    this.backend.release(this);
  }
}
