import type { PieceAssembly } from './piece-assembly.ts';

const BLOCK_BYTES = 16384;
const MAX_EVIDENCE_BYTES = 32 * 1024 * 1024;
/** Pieces a peer may corrupt before it is dropped and banned. */
export const STRIKES_TO_BAN = 2;

/**
 * Finds peers that send bad data. A failed piece whose blocks came from one peer is that peer's
 * fault. With several senders, the failed bytes are kept as evidence; once the piece verifies,
 * each sender whose blocks differ from the good bytes is proven to have lied (libtorrent's
 * "smart ban"), and honest peers that shared the piece are never blamed.
 */
export class BlameBook {
  private readonly evidence = new Map<number, PieceAssembly[]>();
  private evidenceBytes = 0;
  private readonly strikes = new Map<string, number>();

  /** Records a failed piece; returns the peers that now deserve a ban. */
  pieceFailed(assembly: PieceAssembly): string[] {
    const senders = assembly.contributors();
    if (senders.length === 1) return this.strike(senders);
    this.keep(assembly);
    return [];
  }

  /** A piece verified: compares any evidence against the good bytes; returns peers to ban. */
  pieceVerified(index: number, good: Uint8Array): string[] {
    const failures = this.evidence.get(index);
    if (!failures) return [];
    this.evidence.delete(index);
    const liars = new Set<string>();
    for (const failed of failures) {
      this.evidenceBytes -= failed.length;
      for (let slot = 0; slot < failed.senders.length; slot++) {
        const sender = failed.senders[slot];
        if (sender && !sameBlock(failed.data, good, slot * BLOCK_BYTES)) liars.add(sender);
      }
    }
    return this.strike([...liars]);
  }

  strikesOf(peer: string): number {
    return this.strikes.get(peer) ?? 0;
  }

  private strike(peers: string[]): string[] {
    const banned: string[] = [];
    for (const peer of peers) {
      const count = (this.strikes.get(peer) ?? 0) + 1;
      this.strikes.set(peer, count);
      if (count >= STRIKES_TO_BAN) banned.push(peer);
    }
    return banned;
  }

  private keep(assembly: PieceAssembly): void {
    if (assembly.length > MAX_EVIDENCE_BYTES / 4) return;
    while (this.evidenceBytes + assembly.length > MAX_EVIDENCE_BYTES && this.evidence.size > 0) {
      const [oldest, list] = this.evidence.entries().next().value!;
      this.evidence.delete(oldest);
      for (const piece of list) this.evidenceBytes -= piece.length;
    }
    const list = this.evidence.get(assembly.index) ?? [];
    list.push(assembly);
    this.evidence.set(assembly.index, list);
    this.evidenceBytes += assembly.length;
  }
}

function sameBlock(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  const end = Math.min(offset + BLOCK_BYTES, a.length, b.length);
  for (let i = offset; i < end; i++) if (a[i] !== b[i]) return false;
  return true;
}
