// What a fuzz target declares: its seeds, the decoder call, and which errors count as "typed"
// (a decoder refusing input the way its callers expect). Anything else thrown is a crash.

import type { Prng } from './prng.ts';

// Error subclasses take different constructor arguments; only `instanceof` is used.
export type ErrorClass = abstract new (...args: any[]) => Error;

export interface FuzzTarget {
  readonly name: string;
  /** Valid encodings (the project's own encoders, golden bytes, fixtures) to mutate. */
  readonly seeds: () => Uint8Array[];
  /** Calls the decoder(s). Returns when the input is accepted; throws a typed error when refused. */
  readonly run: (input: Uint8Array) => void;
  readonly typedErrors: readonly ErrorClass[];
  /** Tokens spliced in by the mutator (bencode keys, magnet parameters…). */
  readonly dictionary?: readonly string[];
  /** Inputs are bencode: use the structure-aware generator and the integer tweaks. */
  readonly bencode?: boolean;
  /** A structure-aware generator of the target's own (e.g. magnet links). */
  readonly generate?: (prng: Prng) => Uint8Array;
  /**
   * How many decodings one `run` does (round trips, a second feed in small chunks): the time
   * bound is multiplied by it, so the bound stays one of the decoder's. Default 1.
   */
  readonly decodesPerRun?: number;
}

/** A decoder accepted an input but broke a promise it makes about its result. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantError';
  }
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/**
 * Runs a round trip of an accepted value (re-encode, decode again): whatever it throws, typed or
 * not, is a broken promise, not a refusal.
 */
export function roundTrip<T>(what: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof InvariantError) throw error;
    throw new InvariantError(`${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

/** One byte per character (code units above 0xff keep their low byte): bencode text as bytes. */
export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
