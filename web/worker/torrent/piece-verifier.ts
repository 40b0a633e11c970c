import type { TorrentStorage } from '../piece-store.ts';
import { pieceMatches } from '../verify.ts';
import type { PieceAssembly } from './piece-assembly.ts';

export type VerifyOutcome = { ok: true; assembly: PieceAssembly } | { ok: false; assembly: PieceAssembly };

/**
 * Verifies complete pieces (SHA-1, whole piece) and hands the good ones to the torrent's storage.
 * Tracks the bytes waiting to be hashed, so the torrent can bound them; a write that finds the
 * storage queue full calls `onQueueFull` at once (the storage wakes the torrent when it drains).
 */
export class PieceVerifier {
  private waitingBytes = 0;
  /** Pieces being hashed now. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly storage: TorrentStorage,
    private readonly expectedHash: (index: number) => Uint8Array,
    private readonly onQueueFull: () => void,
  ) {}

  /** Bytes held in memory until hashed. */
  get hashingBytes(): number {
    return this.waitingBytes;
  }

  /** Verifies and, if good, queues the piece for storage. */
  async process(assembly: PieceAssembly): Promise<VerifyOutcome> {
    const processing = this.verifyAndStore(assembly);
    this.running.add(processing);
    try {
      return await processing;
    } finally {
      this.running.delete(processing);
    }
  }

  /** Resolves when every piece now being processed is done with, stored or not. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async verifyAndStore(assembly: PieceAssembly): Promise<VerifyOutcome> {
    this.waitingBytes += assembly.length;
    try {
      const ok = await pieceMatches(assembly.data, this.expectedHash(assembly.index));
      if (ok && this.storage.putPiece(assembly.index, assembly.data) === 'queue-full') this.onQueueFull();
      return { ok, assembly };
    } finally {
      this.waitingBytes -= assembly.length;
    }
  }
}
