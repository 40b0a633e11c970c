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
