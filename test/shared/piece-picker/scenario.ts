// Builds picker scenarios from strings, as libtorrent's tests do. One character per piece:
//   availability "1120000"  how many peers have each piece (digit)
//   have         "  *    "  '*' = we have it
//   priority     "4440004"  priority digit (default 4 everywhere)
//   peer         "1111111"  '1' = the peer we pick for has it (default: every available piece)
//   deadlines    { video: "  2 01  " }  a reader's deadline rank of each piece (digit; ' ' = none)

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
  /** Per reader, a deadline rank digit per piece: "  2 01" is the list [4, 5, 2]. */
  deadlines?: Record<string, string>;
  sequential?: boolean;
  urgentRanks?: number;
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
    urgentRanks: scenario.urgentRanks,
    random: seededRandom(scenario.seed ?? 1),
  });
  [...scenario.availability].forEach((digit, piece) => {
    for (let i = 0; i < Number(digit); i++) picker.addPeerHave(piece);
  });
  [...(scenario.have ?? '')].forEach((mark, piece) => {
    if (mark === '*') picker.setHave(piece);
  });
  [...(scenario.priority ?? '')].forEach((digit, piece) => picker.setPriority(piece, Number(digit)));
  for (const [reader, pattern] of Object.entries(scenario.deadlines ?? {})) picker.setDeadlines(reader, deadlineList(pattern));
  if (scenario.sequential) picker.setSequential(true);
  return picker;
}

/** The pieces of a deadline diagram in rank order: "  2 01" gives [4, 5, 2]. */
export function deadlineList(pattern: string): number[] {
  const ranked: [rank: number, piece: number][] = [];
  [...pattern].forEach((mark, piece) => {
    if (mark !== ' ') ranked.push([Number(mark), piece]);
  });
  return ranked.sort((a, b) => a[0] - b[0]).map(([, piece]) => piece);
}

export function bitfield(pattern: string): Bitfield {
  const bits = new Bitfield(pattern.length);
  [...pattern].forEach((mark, i) => {
    if (mark !== ' ' && mark !== '0') bits.set(i);
  });
  return bits;
}

/** Picked blocks as "piece.block" in pick order: ["5.0", "5.1", "2.0"]. */
export function pickedBlocks(blocks: readonly { piece: number; offset: number }[]): string[] {
  return blocks.map((block) => `${block.piece}.${block.offset / BLOCK}`);
}

/** The pieces of picked blocks, in pick order, without repeats. */
export function pickedPieces(blocks: readonly { piece: number }[]): number[] {
  return [...new Set(blocks.map((block) => block.piece))];
}
