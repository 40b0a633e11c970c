import { blockByteLength, type BlockBytes, type BlockRef } from '../../../shared/peer-wire/index.ts';

const BLOCK_BYTES = 16384;

/** One piece being downloaded: its bytes so far and who sent each block (to blame on failure). */
export class PieceAssembly {
  readonly data: Uint8Array<ArrayBuffer>;
  readonly senders: (string | undefined)[];
  private receivedBlocks = 0;

  constructor(readonly index: number, readonly length: number) {
    this.data = new Uint8Array(length);
    this.senders = new Array<string | undefined>(Math.ceil(length / BLOCK_BYTES));
  }

  get complete(): boolean {
    return this.receivedBlocks === this.senders.length;
  }

  /** Writes a block (its only copy: from the received data into the piece); false if it was a duplicate (endgame) or does not fit. */
  write(block: BlockRef, bytes: BlockBytes, sender: string): boolean {
    const slot = block.offset / BLOCK_BYTES;
    if (!Number.isInteger(slot) || slot >= this.senders.length) return false;
    const expected = Math.min(BLOCK_BYTES, this.length - block.offset);
    if (blockByteLength(bytes) !== expected || this.senders[slot] !== undefined) return false;
    if (bytes instanceof Uint8Array) this.data.set(bytes, block.offset);
    else {
      let at = block.offset;
      for (const part of bytes) { this.data.set(part, at); at += part.length; }
    }
    this.senders[slot] = sender;
    this.receivedBlocks++;
    return true;
  }

  /** Distinct peers that contributed. */
  contributors(): string[] {
    return [...new Set(this.senders.filter((s): s is string => s !== undefined))];
  }
}

/** The pieces in flight for one torrent; memory here is bounded by how many the picker opens. */
export class InFlightPieces {
  private readonly pieces = new Map<number, PieceAssembly>();
  private allocated = 0;

  constructor(private readonly pieceLength: (index: number) => number) {}

  get bytes(): number {
    return this.allocated;
  }

  get count(): number {
    return this.pieces.size;
  }

  get(index: number): PieceAssembly {
    let piece = this.pieces.get(index);
    if (!piece) {
      piece = new PieceAssembly(index, this.pieceLength(index));
      this.pieces.set(index, piece);
      this.allocated += piece.length;
    }
    return piece;
  }

  has(index: number): boolean {
    return this.pieces.has(index);
  }

  /** Removes a piece (complete or abandoned) and returns it. */
  take(index: number): PieceAssembly | undefined {
    const piece = this.pieces.get(index);
    if (piece) {
      this.pieces.delete(index);
      this.allocated -= piece.length;
    }
    return piece;
  }

  /** Drops every piece; returns their indices. */
  clear(): number[] {
    const indices = [...this.pieces.keys()];
    this.pieces.clear();
    this.allocated = 0;
    return indices;
  }
}
