// Export of a finished file as a Blob composed of slices of the stored piece Blobs. Pieces read
// from IndexedDB are disk-backed Blobs, so the file is never assembled in memory: the browser
// reads the slices when the Blob is saved or streamed.

import { pieceSize } from '../../shared/metainfo/index.ts';
import type { Metainfo } from '../../shared/metainfo/index.ts';

export interface PieceBlobSource {
  getPieceBlob(infoHashHex: string, index: number): Promise<Blob | undefined>;
}

const FILE_TYPE = 'application/octet-stream';
/** Piece lookups in flight at once: enough to hide IndexedDB latency, few enough to stay cheap. */
const LOOKUPS_AT_ONCE = 32;

/** The file's bytes as a Blob. Throws if a piece the file needs is not stored. */
export async function fileBlob(meta: Metainfo, store: PieceBlobSource, fileIndex: number): Promise<Blob> {
  const file = meta.files[fileIndex];
  if (!file) throw new RangeError(`file ${fileIndex} does not exist (the torrent has ${meta.files.length} files)`);
  if (file.length === 0) return new Blob([], { type: FILE_TYPE });

  const fileEnd = file.offset + file.length;
  const firstPiece = Math.floor(file.offset / meta.pieceLength);
  const lastPiece = Math.floor((fileEnd - 1) / meta.pieceLength);
  const parts: Blob[] = [];
  for (let start = firstPiece; start <= lastPiece; start += LOOKUPS_AT_ONCE) {
    const indices: number[] = [];
    for (let i = start; i <= Math.min(lastPiece, start + LOOKUPS_AT_ONCE - 1); i++) indices.push(i);
    const blobs = await Promise.all(indices.map((i) => store.getPieceBlob(meta.infoHashHex, i)));
    indices.forEach((index, k) => parts.push(slicePiece(meta, index, blobs[k], file.offset, fileEnd)));
  }
  return new Blob(parts, { type: FILE_TYPE });
}

/** The part of piece `index` inside the torrent byte range [fileStart, fileEnd). */
function slicePiece(meta: Metainfo, index: number, blob: Blob | undefined, fileStart: number, fileEnd: number): Blob {
  if (!blob) throw new Error(`file is not complete: piece ${index} is missing`);
  const expected = pieceSize(meta, index);
  if (blob.size !== expected) {
    throw new Error(`piece ${index} is stored with ${blob.size} bytes but should have ${expected}`);
  }
  const pieceStart = index * meta.pieceLength;
  const start = Math.max(fileStart, pieceStart) - pieceStart;
  const end = Math.min(fileEnd, pieceStart + expected) - pieceStart;
  return start === 0 && end === blob.size ? blob : blob.slice(start, end);
}
