import type { FilePriority } from './torrent/file-selection.ts';

// Where verified pieces live. IndexedDB in the browser, memory in tests. Only whole,
// verified pieces are stored; the engine never keeps a torrent in memory.

export interface TorrentRecord {
  infoHashHex: string;
  /** Raw bencoded metainfo (or just the info dict, wrapped), so a reload needs no network. */
  torrentBytes: Uint8Array;
  /** A magnet link still waiting for its metadata (torrentBytes is then empty). */
  magnetUri?: string;
  /** Verified pieces as a BEP 3 bitfield. */
  bitfield: Uint8Array;
  /** Per-file wanted flags, by file index. */
  selectedFiles: boolean[];
  /** Per-file priorities (records from before priorities have only selectedFiles). */
  filePriorities?: FilePriority[];
  paused: boolean;
  addedAt: number;
  /** Lifetime totals: they survive reloads, so the ratio shown is the lifetime one. */
  downloadedBytes: number;
  uploadedBytes: number;
  wastedBytes?: number;
}

export interface PieceStore {
  /**
   * Stores a verified piece. May batch; `flush` makes everything durable. The store takes the
   * buffer: the caller must not change it afterwards (the engine never reuses piece buffers).
   */
  putPiece(infoHashHex: string, index: number, bytes: Uint8Array): Promise<void>;
  getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined>;
  /** Indices of the pieces stored for a torrent (all verified: only verified pieces are stored). */
  storedPieces(infoHashHex: string): Promise<number[]>;
  flush(): Promise<void>;
  /** Bytes accepted by putPiece but not yet durable: the engine slows down when this grows. */
  readonly pendingBytes: number;
  deleteTorrent(infoHashHex: string, pieceCount: number): Promise<void>;
  putRecord(record: TorrentRecord): Promise<void>;
  getRecord(infoHashHex: string): Promise<TorrentRecord | undefined>;
  listRecords(): Promise<TorrentRecord[]>;
}
