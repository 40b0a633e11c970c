// Mutators: each takes an input and returns a changed copy. Byte-level ones (bit flips, boundary
// bytes and integers, inserted, deleted and duplicated ranges, splices of two inputs) and
// bencode-aware ones (digit runs — integers and length prefixes — set to huge or odd values).

import { INTERESTING_INTEGERS } from './generate.ts';
import type { Prng } from './prng.ts';
import { ascii } from './target.ts';
import { concatBytes } from '../../shared/bytes.ts';

/** Mutants are cut back to this size so a run's time per input stays bounded. */
export const MAX_MUTANT_BYTES = 64 * 1024;

const INTERESTING_BYTES = [0x00, 0x01, 0x13, 0x7f, 0x80, 0xfe, 0xff, 0x30, 0x3a, 0x64, 0x65, 0x69, 0x6c];
const INTERESTING_U16 = [0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff];
const INTERESTING_U32 = [0, 1, 0x3fff, 0x4000, 0x4001, 0x20000, 0x20001, 0x100000, 0x10000d, 0x10000e, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export interface MutationContext {
  readonly prng: Prng;
  /** Another input, for splicing. */
  readonly other: () => Uint8Array;
  readonly dictionary: readonly string[];
  readonly bencode: boolean;
}

type Mutator = (input: Uint8Array, context: MutationContext) => Uint8Array;

function flipBit(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  if (input.length === 0) return prng.bytes(1);
  const out = input.slice();
  out[prng.below(out.length)]! ^= 1 << prng.below(8);
  return out;
}

function setByte(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  if (input.length === 0) return Uint8Array.of(prng.pick(INTERESTING_BYTES));
  const out = input.slice();
  out[prng.below(out.length)] = prng.chance(0.7) ? prng.pick(INTERESTING_BYTES) : prng.below(256);
  return out;
}

/** A big-endian u16 or u32 boundary value over bytes at a random offset (length prefixes, ids). */
function setWord(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  const wide = prng.chance(0.6);
  const size = wide ? 4 : 2;
  if (input.length < size) return input.length === 0 ? prng.bytes(size) : appendBytes(input, prng.bytes(size));
  const out = input.slice();
  const offset = prng.chance(0.3) ? 0 : prng.below(out.length - size + 1);
  let value = wide ? prng.pick(INTERESTING_U32) : prng.pick(INTERESTING_U16);
  if (prng.chance(0.2)) value = (input.length + prng.between(-2, 2)) >>> 0; // near the real length
  for (let i = size - 1; i >= 0; i--) {
    out[offset + i] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
}

function insertBytes(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  const count = prng.between(1, prng.chance(0.1) ? 1024 : 32);
  const inserted = prng.chance(0.5) ? prng.bytes(count) : new Uint8Array(count).fill(prng.pick(INTERESTING_BYTES));
  return insertAt(input, prng.below(input.length + 1), inserted);
}

function deleteRange(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  if (input.length === 0) return input;
  const start = prng.below(input.length);
  const end = Math.min(input.length, start + 1 + prng.length(64));
  return concat(input.subarray(0, start), input.subarray(end));
}

/** Repeats a range a few times in place: long lists, deep nesting, repeated keys. */
function duplicateRange(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  if (input.length === 0) return input;
  const start = prng.below(input.length);
  const end = Math.min(input.length, start + 1 + prng.length(64));
  const range = input.subarray(start, end);
  // Sometimes thousands of copies: long lists and deep paths show costs that grow faster than the input.
  const copies = prng.chance(0.02) ? prng.between(500, 5000) : prng.chance(0.1) ? prng.between(8, 200) : prng.between(1, 3);
  const parts: Uint8Array[] = [input.subarray(0, end)];
  for (let i = 0; i < copies; i++) parts.push(range);
  parts.push(input.subarray(end));
  return concat(...parts);
}

/** The head of this input and the tail of another. */
function splice(input: Uint8Array, { prng, other }: MutationContext): Uint8Array {
  const second = other();
  return concat(input.subarray(0, prng.below(input.length + 1)), second.subarray(prng.below(second.length + 1)));
}

function truncate(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  return input.subarray(0, prng.below(input.length + 1));
}

function insertToken(input: Uint8Array, { prng, dictionary, bencode }: MutationContext): Uint8Array {
  if (dictionary.length === 0) return insertBytes(input, { prng, other: () => input, dictionary, bencode });
  const token = prng.pick(dictionary);
  const text = bencode && prng.chance(0.7) ? `${token.length}:${token}` : token;
  return insertAt(input, prng.below(input.length + 1), ascii(text));
}

/** Replaces a run of ASCII digits — a bencode integer or length prefix — with a boundary value. */
function tweakDigits(input: Uint8Array, { prng }: MutationContext): Uint8Array {
  const runs: [number, number][] = [];
  for (let i = 0; i < input.length; ) {
    if (!isDigit(input[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < input.length && isDigit(input[end]!)) end++;
    runs.push([i, end]);
    i = end;
  }
  if (runs.length === 0) return insertAt(input, prng.below(input.length + 1), ascii(prng.pick(INTERESTING_INTEGERS)));
  const [start, end] = prng.pick(runs);
  const current = Number(new TextDecoder().decode(input.subarray(start, end)));
  const replacement = prng.chance(0.7) ? prng.pick(INTERESTING_INTEGERS) : String(Math.max(0, current + prng.between(-2, 2)));
  return concat(input.subarray(0, start), ascii(replacement), input.subarray(end));
}

const BYTE_MUTATORS: Mutator[] = [flipBit, setByte, setWord, insertBytes, deleteRange, duplicateRange, splice, truncate, insertToken];
const BENCODE_MUTATORS: Mutator[] = [...BYTE_MUTATORS, tweakDigits, tweakDigits, tweakDigits];

/** Applies 1–4 stacked mutations. */
export function mutate(input: Uint8Array, context: MutationContext): Uint8Array {
  const mutators = context.bencode ? BENCODE_MUTATORS : BYTE_MUTATORS;
  let out = input;
  const rounds = 1 + context.prng.length(3);
  for (let i = 0; i < rounds; i++) out = context.prng.pick(mutators)(out, context);
  return out.length > MAX_MUTANT_BYTES ? out.slice(0, MAX_MUTANT_BYTES) : out;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function insertAt(input: Uint8Array, offset: number, inserted: Uint8Array): Uint8Array {
  return concat(input.subarray(0, offset), inserted, input.subarray(offset));
}

function appendBytes(input: Uint8Array, tail: Uint8Array): Uint8Array {
  return concat(input, tail);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}
