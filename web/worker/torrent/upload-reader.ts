import type { TorrentStorage } from '../piece-store.ts';

/** Bytes of pieces kept for uploading: a few pieces of a usual torrent, one of a huge-piece one. */
export const UPLOAD_CACHE_BYTES = 8 * 1024 * 1024;

interface CachedPiece {
  piece: Promise<Uint8Array | undefined>;
  /** The piece's length once read (0 while reading: it counts as `pieceLength` until then). */
  bytes: number;
}

/**
 * Reads stored pieces for uploading. Peers ask for a piece 16 KiB at a time; the store keeps
 * whole pieces. Recently read pieces are kept (least recently used goes first, at most
 * `maxBytes`), so uploading a piece costs one read, not one per block, even when several peers'
 * requests for different pieces interleave. At least one piece is always kept.
 */
export class UploadReader {
  private readonly cache = new Map<number, CachedPiece>(); // in use order, oldest first
  private cachedBytes = 0;

  constructor(private readonly storage: TorrentStorage, private readonly pieceLength: number, private readonly maxBytes = UPLOAD_CACHE_BYTES) {}

  /** Pieces kept (or being read), oldest use first. */
  get cachedPieces(): number[] {
    return [...this.cache.keys()];
  }

  read(index: number): Promise<Uint8Array | undefined> {
    const cached = this.cache.get(index);
    if (cached) {
      this.cache.delete(index); // to the back: most recently used
      this.cache.set(index, cached);
      return cached.piece;
    }
    const piece = this.storage.getPiece(index);
    const entry: CachedPiece = { piece, bytes: this.pieceLength };
    this.cache.set(index, entry);
    this.cachedBytes += entry.bytes;
    piece.then((bytes) => {
      if (this.cache.get(index) !== entry) return;
      if (!bytes) return this.drop(index); // not stored after all: ask again next time
      this.cachedBytes += bytes.length - entry.bytes;
      entry.bytes = bytes.length;
    }, () => { if (this.cache.get(index) === entry) this.drop(index); }); // a failed read is not kept
    this.evict();
    return piece;
  }

  /** Forgets the piece kept, if it is kept (storage lost it). */
  forget(index: number): void {
    if (this.cache.has(index)) this.drop(index);
  }

  private evict(): void {
    for (const index of this.cache.keys()) {
      if (this.cachedBytes <= this.maxBytes || this.cache.size <= 1) return;
      this.drop(index);
    }
  }

  private drop(index: number): void {
    this.cachedBytes -= this.cache.get(index)!.bytes;
    this.cache.delete(index);
  }
}
