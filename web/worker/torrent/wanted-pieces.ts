// Which pieces a torrent wants and how urgently, kept in step with the picker as the user changes
// file priorities on the running torrent; and what is left to fetch, kept incrementally
// (torrents can have 100k+ pieces, and the UI asks every second).
import { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { pieceSize } from '../../../shared/metainfo/index.ts';
import type { PiecePicker } from '../../../shared/piece-picker/index.ts';
import { piecePriorities, type FilePriority } from './file-selection.ts';

export class WantedPieces {
  readonly wanted: Bitfield;
  private priorities: FilePriority[];
  private wantedTotal = 0;
  private missingPieces = 0;
  private missingTotal = 0;

  constructor(private readonly meta: Metainfo, private readonly have: Bitfield, private readonly picker: PiecePicker, priorities: FilePriority[]) {
    this.wanted = new Bitfield(meta.pieceCount);
    this.priorities = [...priorities];
    this.apply();
  }

  get filePriorities(): readonly FilePriority[] {
    return this.priorities;
  }

  /** Per-file wanted flags (what records and the UI call the selection). */
  get selectedFiles(): boolean[] {
    return this.priorities.map((p) => p !== 'skip');
  }

  /** Bytes of the wanted pieces. */
  get wantedBytes(): number {
    return this.wantedTotal;
  }

  /** Bytes of wanted pieces not verified yet. */
  get leftBytes(): number {
    return this.missingTotal;
  }

  get isComplete(): boolean {
    return this.missingPieces === 0;
  }

  /** Changes one file's priority; returns true when what is wanted changed. */
  setPriority(fileIndex: number, priority: FilePriority): boolean {
    if (this.priorities[fileIndex] === priority) return false;
    this.priorities[fileIndex] = priority;
    return this.apply();
  }

  /** A piece was verified. */
  pieceVerified(index: number): void {
    if (!this.wanted.get(index)) return;
    this.missingPieces--;
    this.missingTotal -= pieceSize(this.meta, index);
  }

  /** A piece we had is missing again (storage lost it). */
  pieceLost(index: number): void {
    if (!this.wanted.get(index)) return;
    this.missingPieces++;
    this.missingTotal += pieceSize(this.meta, index);
  }

  /** Recomputes every piece's priority and hands changes to the picker. */
  private apply(): boolean {
    const byPiece = piecePriorities(this.meta, this.priorities);
    let changed = false;
    this.wantedTotal = 0;
    this.missingPieces = 0;
    this.missingTotal = 0;
    for (let i = 0; i < this.meta.pieceCount; i++) {
      const priority = byPiece[i]!;
      const size = pieceSize(this.meta, i);
      if (this.picker.priorityOf(i) !== priority) {
        this.picker.setPriority(i, priority);
        changed = true;
      }
      this.wanted.set(i, priority > 0);
      if (priority === 0) continue;
      this.wantedTotal += size;
      if (!this.have.get(i)) {
        this.missingPieces++;
        this.missingTotal += size;
      }
    }
    return changed;
  }
}
