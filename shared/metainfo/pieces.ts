// Per-piece facts derived from the metainfo (BEP 3): every piece is `pieceLength` bytes except
// the last, which holds the remainder.

import type { Metainfo } from './types.ts';

const HASH_BYTES = 20;

type PieceLayout = Pick<Metainfo, 'pieceLength' | 'pieceCount' | 'totalLength'>;

export function pieceSize(meta: PieceLayout, index: number): number {
  checkIndex(meta, index);
  if (index < meta.pieceCount - 1) return meta.pieceLength;
  return meta.totalLength - meta.pieceLength * (meta.pieceCount - 1);
}

/** The expected SHA-1 of a piece: a view into `pieceHashes`, not a copy. */
export function pieceHash(meta: Pick<Metainfo, 'pieceCount' | 'pieceHashes'>, index: number): Uint8Array {
  checkIndex(meta, index);
  return meta.pieceHashes.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
}

function checkIndex(meta: Pick<Metainfo, 'pieceCount'>, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= meta.pieceCount) {
    throw new RangeError(`piece ${index} does not exist (the torrent has ${meta.pieceCount} pieces)`);
  }
}
