import { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';

/** Pieces needed for the selected files (a piece shared with a selected file is needed). */
export function wantedPieces(meta: Metainfo, selected: boolean[]): Bitfield {
  const wanted = new Bitfield(meta.pieceCount);
  for (const file of meta.files) {
    if (file.length === 0 || file.padding || selected[file.index] === false) continue;
    const first = Math.floor(file.offset / meta.pieceLength);
    const last = Math.floor((file.offset + file.length - 1) / meta.pieceLength);
    for (let i = first; i <= last; i++) wanted.set(i);
  }
  return wanted;
}

/** Verified bytes of each file, from the have bitfield. */
export function fileProgressBytes(meta: Metainfo, have: Bitfield): number[] {
  return meta.files.map((file) => {
    if (file.length === 0) return 0;
    let done = 0;
    const first = Math.floor(file.offset / meta.pieceLength);
    const last = Math.floor((file.offset + file.length - 1) / meta.pieceLength);
    for (let i = first; i <= last; i++) {
      if (!have.get(i)) continue;
      const start = Math.max(file.offset, i * meta.pieceLength);
      const end = Math.min(file.offset + file.length, (i + 1) * meta.pieceLength);
      done += end - start;
    }
    return done;
  });
}

/** What a user chooses per file: skip it, or fetch it before or after the others. */
export type FilePriority = 'skip' | 'low' | 'normal' | 'high';
export const FILE_PRIORITIES: readonly FilePriority[] = ['skip', 'low', 'normal', 'high'];

/** The picker's scale (shared/piece-picker: 0 = never, 1–7 = higher first). */
const PICKER_PRIORITY: Record<FilePriority, number> = { skip: 0, low: 2, normal: 4, high: 6 };

/**
 * A file's head (this many bytes) and its last piece come one step before the rest of it (as
 * qBittorrent's "first and last pieces first"): a player that opens it finds its start and its
 * index there already, and a file can be previewed before it is complete.
 */
const HEAD_FIRST_BYTES = 2 * 1024 * 1024;

/**
 * Each piece's picker priority: the highest of the files it holds bytes of (padding files aside),
 * one step up for a file's head and last piece.
 */
export function piecePriorities(meta: Metainfo, priorities: readonly FilePriority[]): Uint8Array {
  const result = new Uint8Array(meta.pieceCount);
  for (const file of meta.files) {
    if (file.length === 0 || file.padding) continue;
    const priority = PICKER_PRIORITY[priorities[file.index] ?? 'normal'];
    if (priority === 0) continue;
    const first = Math.floor(file.offset / meta.pieceLength);
    const last = Math.floor((file.offset + file.length - 1) / meta.pieceLength);
    const headLast = Math.floor((file.offset + Math.min(file.length, HEAD_FIRST_BYTES) - 1) / meta.pieceLength);
    for (let i = first; i <= last; i++) {
      const boosted = i <= headLast || i === last ? priority + 1 : priority;
      result[i] = Math.max(result[i]!, boosted);
    }
  }
  return result;
}

/** The priorities a stored selection stands for (records before priorities kept booleans). */
export function prioritiesFromSelection(selected: readonly boolean[], fileCount: number): FilePriority[] {
  return Array.from({ length: fileCount }, (_, i) => (selected[i] === false ? 'skip' : 'normal'));
}

/** BEP 53 `so`: the listed files wanted, the others skipped (indices past the last file ignored). */
export function prioritiesFromSelectOnly(selectOnly: readonly number[], fileCount: number): FilePriority[] {
  const chosen = new Set(selectOnly);
  return Array.from({ length: fileCount }, (_, i) => (chosen.has(i) ? 'normal' : 'skip'));
}
