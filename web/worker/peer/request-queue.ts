import type { BlockRef } from '../../../shared/peer-wire/index.ts';

// Outstanding block requests to one peer, keyed by (piece, offset). Blocks are 16 KiB-aligned,
// so piece * 2^16 + offset / 2^14 is unique for pieces up to 1 GiB.
const BLOCK_SHIFT = 16384;
const KEYS_PER_PIECE = 65536;

/**
 * Requests in flight to keep the link full: about this much time's worth of the peer's rate, and
 * few while the rate is unknown or low. A deep queue at a slow peer is seconds of waiting for any
 * piece asked for later (a player's; the peer sends what it queued first, and a cancel cannot
 * recall what it has already read into its send buffer): libtorrent also starts at a few.
 */
const PIPELINE_SECONDS = 0.5;
const MIN_DEPTH = 4;
const MAX_DEPTH = 600;

export function blockKey(block: { piece: number; offset: number }): number {
  return block.piece * KEYS_PER_PIECE + block.offset / BLOCK_SHIFT;
}

export class RequestQueue {
  private readonly blocks = new Map<number, BlockRef & { sentAt: number }>();

  get size(): number {
    return this.blocks.size;
  }

  /** How many requests to keep outstanding at a download rate (bytes/s). */
  targetDepth(bytesPerSecond: number): number {
    const depth = Math.ceil((bytesPerSecond * PIPELINE_SECONDS) / BLOCK_SHIFT);
    return Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, depth));
  }

  has(block: { piece: number; offset: number }): boolean {
    return this.blocks.has(blockKey(block));
  }

  add(block: BlockRef): void {
    this.blocks.set(blockKey(block), { piece: block.piece, offset: block.offset, length: block.length, sentAt: Date.now() });
  }

  /** Removes a request; false if it was not outstanding. */
  remove(block: { piece: number; offset: number; length: number }): boolean {
    const key = blockKey(block);
    const known = this.blocks.get(key);
    if (!known || known.length !== block.length) return false;
    this.blocks.delete(key);
    return true;
  }

  /** The oldest request's age in ms (0 if none): a stalled peer shows here. */
  oldestAgeMs(now = Date.now()): number {
    for (const block of this.blocks.values()) return now - block.sentAt; // Map keeps insertion order
    return 0;
  }

  /** Empties the queue, returning what was outstanding (to give back to the picker). */
  clear(): BlockRef[] {
    const all = [...this.blocks.values()].map(({ piece, offset, length }) => ({ piece, offset, length }));
    this.blocks.clear();
    return all;
  }

  list(): BlockRef[] {
    return [...this.blocks.values()];
  }
}
