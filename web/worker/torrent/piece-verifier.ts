import type { PieceStore } from '../piece-store.ts';
import { pieceMatches } from '../verify.ts';
import type { PieceAssembly } from './piece-assembly.ts';

export type VerifyOutcome = { ok: true; assembly: PieceAssembly } | { ok: false; assembly: PieceAssembly };

/**
 * Verifies complete pieces (SHA-1, whole piece) and writes the good ones to the store. Tracks the
 * bytes waiting on either, so the torrent can stop requesting when storage falls behind.
 */
export class PieceVerifier {
  private waitingBytes = 0;
  /** Pieces being hashed or written now. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly store: PieceStore,
    private readonly infoHashHex: string,
    private readonly expectedHash: (index: number) => Uint8Array,
  ) {}

  /** Bytes held in memory until verified and durable. */
  get backlogBytes(): number {
    return this.waitingBytes + this.store.pendingBytes;
  }

  /** Verifies and, if good, stores. Rejects only if storage fails (the torrent must stop). */
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
      if (ok) await this.store.putPiece(this.infoHashHex, assembly.index, assembly.data);
      return { ok, assembly };
    } finally {
      this.waitingBytes -= assembly.length;
    }
  }
}
