// Sequential mode: new pieces start in index order, highest priority first. PieceOrder already
// knows which pieces may be started (key below the parked key) and how many there are of each
// priority; this keeps a cursor below which none may, so a peer that has the next piece is
// answered at once. A peer that lacks it costs a scan onward, as it does in rarest-first.

import type { PieceOrder } from './piece-order.ts';

export class SequentialScan {
  private cursor = 0; // no piece below it may be started

  /** Keys are priority bands `bandWidth` wide (band 0 = highest priority); `parkedKey` and up are not startable. */
  constructor(
    private readonly order: PieceOrder,
    private readonly parkedKey: number,
    private readonly bandWidth: number,
  ) {}

  /** A piece may be started again (its key went below parkedKey): the cursor moves back to it. */
  reopened(piece: number): void {
    if (piece < this.cursor) this.cursor = piece;
  }

  /** The lowest-index startable piece set in `wanted` (BEP 3 bitfield bytes) of the best band, or -1. */
  find(wanted: Uint8Array): number {
    const order = this.order;
    const pieceCount = order.pieceCount;
    while (this.cursor < pieceCount && order.keyOf(this.cursor) >= this.parkedKey) this.cursor++;
    const topBand = this.topBand();
    let best = -1;
    let bestBand = Infinity;
    for (let piece = this.cursor; piece < pieceCount; piece++) {
      const key = order.keyOf(piece);
      if (key >= this.parkedKey || !(wanted[piece >> 3]! & (0x80 >> (piece & 7)))) continue;
      const band = Math.floor(key / this.bandWidth);
      if (band === topBand) return piece; // nothing better can follow
      if (band < bestBand) {
        best = piece;
        bestBand = band;
      }
    }
    return best;
  }

  /** The best band holding any startable piece (whoever has it), or -1. */
  private topBand(): number {
    for (let band = 0; band * this.bandWidth < this.parkedKey; band++) {
      if (this.order.countBelow((band + 1) * this.bandWidth) > 0) return band;
    }
    return -1;
  }
}
