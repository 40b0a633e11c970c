import type { TorrentStorage } from '../piece-store.ts';

/**
 * Reads stored pieces for uploading. Peers ask for a piece 16 KiB at a time; the store keeps
 * whole pieces. The last piece read is kept, so uploading a piece costs one read, not one per block.
 */
export class UploadReader {
  private last?: { index: number; piece: Promise<Uint8Array | undefined> };

  constructor(private readonly storage: TorrentStorage) {}

  read(index: number): Promise<Uint8Array | undefined> {
    if (this.last?.index === index) return this.last.piece;
    const piece = this.storage.getPiece(index);
    this.last = { index, piece };
    piece.catch(() => { if (this.last?.piece === piece) this.last = undefined; }); // a failed read is not kept
    return piece;
  }

  /** Forgets the piece kept, if it is this one (storage lost it). */
  forget(index: number): void {
    if (this.last?.index === index) this.last = undefined;
  }
}
