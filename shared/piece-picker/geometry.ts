// Piece and block sizes of a torrent: every piece is pieceLength bytes except the last, every
// block is blockLength bytes except the last of each piece (BEP 3).

export class PiecePickerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PiecePickerError';
  }
}

/** A block to request: `offset` bytes into `piece`, `length` bytes long. */
export interface BlockRequest {
  readonly piece: number;
  readonly offset: number;
  readonly length: number;
}

export const DEFAULT_BLOCK_LENGTH = 16 * 1024;

export interface GeometryOptions {
  readonly pieceLength: number; // bytes
  readonly totalLength: number; // bytes
  readonly blockLength?: number; // bytes, default 16 KiB
  /** If given, must agree with ceil(totalLength / pieceLength). */
  readonly pieceCount?: number;
}

export class PieceGeometry {
  readonly pieceLength: number;
  readonly totalLength: number;
  readonly blockLength: number;
  readonly pieceCount: number;

  constructor(options: GeometryOptions) {
    const { pieceLength, totalLength } = options;
    const blockLength = options.blockLength ?? DEFAULT_BLOCK_LENGTH;
    if (!(Number.isSafeInteger(pieceLength) && pieceLength > 0)) throw new PiecePickerError(`bad pieceLength ${pieceLength}`);
    if (!(Number.isSafeInteger(totalLength) && totalLength > 0)) throw new PiecePickerError(`bad totalLength ${totalLength}`);
    if (!(Number.isSafeInteger(blockLength) && blockLength > 0)) throw new PiecePickerError(`bad blockLength ${blockLength}`);
    const pieceCount = Math.ceil(totalLength / pieceLength);
    if (options.pieceCount !== undefined && options.pieceCount !== pieceCount) {
      throw new PiecePickerError(`pieceCount ${options.pieceCount} disagrees with ${totalLength} / ${pieceLength} bytes`);
    }
    this.pieceLength = pieceLength;
    this.totalLength = totalLength;
    this.blockLength = Math.min(blockLength, pieceLength);
    this.pieceCount = pieceCount;
  }

  /** Bytes in `piece` (the last piece may be shorter). */
  pieceBytes(piece: number): number {
    return piece === this.pieceCount - 1 ? this.totalLength - piece * this.pieceLength : this.pieceLength;
  }

  blockCount(piece: number): number {
    return Math.ceil(this.pieceBytes(piece) / this.blockLength);
  }

  /** Bytes in block `block` of `piece` (the last block of a piece may be shorter). */
  blockBytes(piece: number, block: number): number {
    return Math.min(this.blockLength, this.pieceBytes(piece) - block * this.blockLength);
  }

  blockAt(piece: number, block: number): BlockRequest {
    return { piece, offset: block * this.blockLength, length: this.blockBytes(piece, block) };
  }

  /** The index of `block` within its piece if it is exactly one block of this geometry, else -1. */
  blockIndexOf(block: BlockRequest): number {
    const { piece, offset, length } = block;
    if (!(Number.isInteger(piece) && piece >= 0 && piece < this.pieceCount)) return -1;
    if (offset % this.blockLength !== 0) return -1;
    const index = offset / this.blockLength;
    if (index >= this.blockCount(piece) || length !== this.blockBytes(piece, index)) return -1;
    return index;
  }
}
