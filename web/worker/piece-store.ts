import { Bitfield } from '../../shared/bitfield.ts';
import type { StorageError } from './storage-error.ts';
import type { FilePriority } from './torrent/file-selection.ts';
import type { TorrentLimits } from './rate-limit/limit-settings.ts';

// Where verified pieces live. IndexedDB in the browser, memory in tests. Only whole, verified
// pieces are stored; the engine never keeps a torrent in memory. Each torrent works through its
// own handle (anacrolix's TorrentImpl): the handle owns what the torrent has stored and its record,
// and failures and back-pressure come back to that torrent only (libtorrent's disk_observer).

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
  /** Added with the add dialog and not started yet: it waits for the user's choice of files. */
  awaitingChoice?: boolean;
  addedAt: number;
  /** Lifetime totals: they survive reloads, so the ratio shown is the lifetime one. */
  downloadedBytes: number;
  uploadedBytes: number;
  wastedBytes?: number;
  /** Its overrides of the global rate limits, upload slots and seeding goals (absent: the global ones). */
  limits?: TorrentLimits;
  /** Lifetime time spent seeding, for the seeding-time goal. */
  seedingSeconds?: number;
  /** The goals (goalsKey) the user resumed it past: they no longer stop it, until they change. */
  seedingGoalsWaived?: string;
  /** Why it was paused, when the engine paused it ("Seeding goal reached: ratio 2.00"). */
  stopReason?: string;
}

/** What a write says: queued, or queued with the queue now over its limit (wait for onWritable). */
export type WriteStatus = 'queued' | 'queue-full';

/** One torrent's storage, from PieceStore.openTorrent. */
export interface TorrentStorage {
  readonly infoHashHex: string;
  /** Pieces stored when the handle was opened (stored keys plus the record's bitfield). */
  readonly completion: Bitfield;
  /** The torrent's record as it was when the handle was opened. */
  readonly record: TorrentRecord | undefined;
  /**
   * Queues a verified piece. The store takes the buffer: the caller must not change it afterwards.
   * Never throws for a failed write: the pieces it loses go to `onLost`.
   */
  putPiece(index: number, bytes: Uint8Array): WriteStatus;
  getPiece(index: number): Promise<Uint8Array | undefined>;
  /** Called once the queue has drained below its low mark, after a write said 'queue-full'. */
  onWritable?: () => void;
  /** Called with exactly this torrent's pieces that a failed write lost (they are not stored). */
  onLost?: (indices: number[], error: StorageError) => void;
  /** Resolves when every piece queued so far is written or reported lost. */
  flush(): Promise<void>;
  /** Writes the record after the queued pieces, so its bitfield never claims a piece not stored. */
  writeRecord(record: TorrentRecord): Promise<void>;
  readRecord(): Promise<TorrentRecord | undefined>;
  /** Deletes the torrent's pieces (written and queued) and its record, and closes the handle. */
  delete(): Promise<void>;
  /** Stops reporting to this handle; what is queued is still written. */
  close(): void;
}

export interface PieceStore {
  /** Opens (creating if need be) the storage of one torrent; `pieceCount` is 0 for a magnet link. */
  openTorrent(infoHashHex: string, pieceCount: number): Promise<TorrentStorage>;
  /** Every torrent's record (restore after a reload). */
  listRecords(): Promise<TorrentRecord[]>;
  /** A stored piece of any torrent (export, tests): what a handle's getPiece returns. */
  getPiece(infoHashHex: string, index: number): Promise<Uint8Array | undefined>;
  /** Writes everything queued, for every torrent. */
  flush(): Promise<void>;
}

/** The completion a handle opens with: the stored pieces plus those in the record's bitfield. */
export function openingCompletion(pieceCount: number, stored: Iterable<number>, record: TorrentRecord | undefined): Bitfield {
  const completion = new Bitfield(pieceCount);
  const saved = record?.bitfield;
  if (saved && saved.length === completion.bytes.length) {
    for (let i = 0; i < pieceCount; i++) if (saved[i >> 3]! & (0x80 >> (i & 7))) completion.set(i);
  }
  for (const index of stored) if (Number.isInteger(index) && index >= 0 && index < pieceCount) completion.set(index);
  return completion;
}
