// What a torrent has: its verified pieces, their bytes, what is wanted and left of them, kept in
// step with the picker as pieces are verified and lost (a failed write) and as file priorities
// change. One place owns this truth, so the counts the UI, the trackers and the record read
// cannot drift apart from the bitfield peers hear about.
import type { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { pieceSize } from '../../../shared/metainfo/index.ts';
import type { PiecePicker } from '../../../shared/piece-picker/index.ts';
import type { FilePriority } from './file-selection.ts';
import { WantedPieces } from './wanted-pieces.ts';

export class PieceLedger {
  private verified = 0;
  private readonly wants: WantedPieces;

  /** `have`: the pieces verified in earlier sessions (the ledger keeps this bitfield up to date). */
  constructor(private readonly meta: Metainfo, private readonly picker: PiecePicker, readonly have: Bitfield, priorities: FilePriority[]) {
    for (let i = 0; i < meta.pieceCount; i++) {
      if (have.get(i)) { picker.setHave(i); this.verified += pieceSize(meta, i); }
    }
    this.wants = new WantedPieces(meta, have, picker, priorities);
  }

  /** Bytes of the pieces we have, wanted or not. */
  get verifiedBytes(): number { return this.verified; }
  /** Bytes of wanted pieces not verified yet. */
  get leftBytes(): number { return this.wants.leftBytes; }
  /** Bytes of the wanted pieces. */
  get wantedBytes(): number { return this.wants.wantedBytes; }
  /** Every wanted piece is verified. */
  get isComplete(): boolean { return this.wants.isComplete; }
  get wanted(): Bitfield { return this.wants.wanted; }
  get filePriorities(): readonly FilePriority[] { return this.wants.filePriorities; }
  /** Per-file wanted flags (what records and the UI call the selection). */
  get selectedFiles(): boolean[] { return this.wants.selectedFiles; }

  /** Changes one file's priority; returns true when what is wanted changed. */
  setPriority(fileIndex: number, priority: FilePriority): boolean {
    return this.wants.setPriority(fileIndex, priority);
  }

  /** We want this piece and do not have it. */
  lacks(index: number): boolean {
    return this.wanted.get(index) && !this.have.get(index);
  }

  /** A peer with these pieces has one we want and lack (BEP 3: we are interested). */
  wantsFrom(peerHas: Bitfield): boolean {
    for (let i = 0; i < this.meta.pieceCount; i++) if (peerHas.get(i) && this.lacks(i)) return true;
    return false;
  }

  /** A piece passed its hash check; false when we had it already (endgame duplicates count once). */
  pieceVerified(index: number): boolean {
    if (this.have.get(index)) return false;
    this.have.set(index);
    this.verified += pieceSize(this.meta, index);
    this.wants.pieceVerified(index);
    this.picker.pieceComplete(index);
    return true;
  }

  /** Storage lost these pieces: they are missing again. Returns those we had (out-of-range ones are ignored). */
  piecesLost(indices: readonly number[]): number[] {
    const lost: number[] = [];
    for (const index of indices) {
      if (index >= this.meta.pieceCount || !this.have.set(index, false)) continue;
      lost.push(index);
      this.verified -= pieceSize(this.meta, index);
      this.wants.pieceLost(index);
      this.picker.setMissing(index);
    }
    return lost;
  }
}
