// Builds picker scenarios from strings, as libtorrent's tests do. One character per piece:
//   availability "1120000"  how many peers have each piece (digit)
//   have         "  *    "  '*' = we have it
//   priority     "4440004"  priority digit (default 4 everywhere)
//   peer         "1111111"  '1' = the peer we pick for has it (default: every available piece)

import { Bitfield } from '../../../shared/bitfield.ts';
import { PiecePicker } from '../../../shared/piece-picker/picker.ts';

export const BLOCK = 16384;

export interface Scenario {
  availability: string;
  have?: string;
  priority?: string;
  blocksPerPiece?: number;
  maxPartialPieces?: number;
  seed?: number;
}

export function seededRandom(seed: number): () => number {
  let state = Math.imul(seed, 0x9e3779b9) >>> 0 || 1; // spread small seeds
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function buildPicker(scenario: Scenario): PiecePicker {
  const pieceCount = scenario.availability.length;
  const pieceLength = BLOCK * (scenario.blocksPerPiece ?? 4);
  const picker = new PiecePicker({
    pieceCount,
    pieceLength,
    totalLength: pieceLength * pieceCount,
    maxPartialPieces: scenario.maxPartialPieces,
    random: seededRandom(scenario.seed ?? 1),
  });
  [...scenario.availability].forEach((digit, piece) => {
    for (let i = 0; i < Number(digit); i++) picker.addPeerHave(piece);
  });
  [...(scenario.have ?? '')].forEach((mark, piece) => {
    if (mark === '*') picker.setHave(piece);
  });
  [...(scenario.priority ?? '')].forEach((digit, piece) => picker.setPriority(piece, Number(digit)));
  return picker;
}

export function bitfield(pattern: string): Bitfield {
  const bits = new Bitfield(pattern.length);
  [...pattern].forEach((mark, i) => {
    if (mark !== ' ' && mark !== '0') bits.set(i);
  });
  return bits;
}

/** The pieces of picked blocks, in pick order, without repeats. */
export function pickedPieces(blocks: readonly { piece: number }[]): number[] {
  return [...new Set(blocks.map((block) => block.piece))];
}
