// Strict bencode decoder (BEP 3). Strict where leniency hides bugs or enables attacks: integers
// and length prefixes must be canonical, integers must fit a JS number exactly, duplicate dict keys
// are refused, nesting is capped. Lenient where real torrents demand it: unsorted dict keys are
// accepted (many old torrent makers wrote them), so never re-encode to get an info-hash — use the
// raw byte span (`bdecodeDictSpans`).
//
// Byte strings are returned as views (subarray) of the input, not copies.

import { BencodeError } from './errors.ts';
import { latin1Decode, type BDict, type BValue } from './types.ts';

export interface BdecodeOptions {
  /** Deepest list/dict nesting allowed (default 64). Bounds recursion on hostile input. */
  maxDepth?: number;
  /** Longest byte string allowed (default: whatever the input holds). */
  maxStringBytes?: number;
}

export interface BdecodePrefixResult {
  value: BValue;
  /** Bytes used by the value; the rest of the input follows it (BEP 9 piece data). */
  length: number;
}

export interface BdecodeDictSpansResult {
  value: BDict;
  /** For each top-level key, the raw bytes [start, end) of its value in the input. */
  spans: Map<string, [number, number]>;
  length: number;
}

const DEFAULT_MAX_DEPTH = 64;
// Number.MAX_SAFE_INTEGER has 16 digits; anything longer is refused before parsing.
const MAX_INTEGER_DIGITS = 16;

const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_COLON = 0x3a;
const CHAR_MINUS = 0x2d;
const CHAR_D = 0x64;
const CHAR_E = 0x65;
const CHAR_I = 0x69;
const CHAR_L = 0x6c;

/** Decodes exactly one value; the whole input must be consumed. */
export function bdecode(bytes: Uint8Array, options: BdecodeOptions = {}): BValue {
  const { value, length } = bdecodePrefix(bytes, options);
  if (length !== bytes.length) {
    throw new BencodeError(`${bytes.length - length} unexpected bytes after the value at byte ${length}`, length);
  }
  return value;
}

/** Decodes one value from the start of `bytes` and reports how many bytes it used. */
export function bdecodePrefix(bytes: Uint8Array, options: BdecodeOptions = {}): BdecodePrefixResult {
  const decoder = new Decoder(bytes, options);
  const value = decoder.readValue(0);
  return { value, length: decoder.position };
}

/**
 * Decodes a dict from the start of `bytes` and records where each top-level value sits, so a
 * caller can hash the raw `info` bytes exactly as they were sent (BEP 3 info-hash).
 * Trailing bytes after the dict are left to the caller (compare `length` with the input length).
 */
export function bdecodeDictSpans(bytes: Uint8Array, options: BdecodeOptions = {}): BdecodeDictSpansResult {
  const decoder = new Decoder(bytes, options);
  if (bytes.length === 0) throw new BencodeError('empty input, expected a dictionary', 0, true);
  if (bytes[0] !== CHAR_D) throw new BencodeError('expected a dictionary at byte 0', 0);
  const spans = new Map<string, [number, number]>();
  const value = decoder.readDict(0, spans);
  return { value, spans, length: decoder.position };
}

class Decoder {
  position = 0;
  private readonly maxDepth: number;
  private readonly maxStringBytes: number;

  constructor(
    private readonly bytes: Uint8Array,
    options: BdecodeOptions,
  ) {
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxStringBytes = options.maxStringBytes ?? Number.MAX_SAFE_INTEGER;
  }

  readValue(depth: number): BValue {
    const byte = this.peek('a value', this.position);
    if (byte === CHAR_I) return this.readInteger();
    if (byte >= CHAR_0 && byte <= CHAR_9) return this.readString();
    if (byte === CHAR_L) return this.readList(depth);
    if (byte === CHAR_D) return this.readDict(depth);
    throw new BencodeError(`unexpected byte 0x${byte.toString(16).padStart(2, '0')} at byte ${this.position}`, this.position);
  }

  readDict(depth: number, spans?: Map<string, [number, number]>): BDict {
    const start = this.enterContainer(depth);
    const dict: BDict = new Map();
    while (this.peek('the end of the dictionary started', start) !== CHAR_E) {
      const keyOffset = this.position;
      const keyByte = this.bytes[keyOffset]!;
      if (keyByte < CHAR_0 || keyByte > CHAR_9) {
        throw new BencodeError(`dictionary key at byte ${keyOffset} is not a byte string`, keyOffset);
      }
      const keyBytes = this.readString();
      const key = latin1Decode(keyBytes);
      if (dict.has(key)) {
        throw new BencodeError(`duplicate dictionary key ${JSON.stringify(key)} at byte ${keyOffset}`, keyOffset);
      }
      const valueStart = this.position;
      dict.set(key, this.readValue(depth + 1));
      spans?.set(key, [valueStart, this.position]);
    }
    this.position++; // 'e'
    return dict;
  }

  private readList(depth: number): BValue[] {
    const start = this.enterContainer(depth);
    const list: BValue[] = [];
    while (this.peek('the end of the list started', start) !== CHAR_E) {
      list.push(this.readValue(depth + 1));
    }
    this.position++; // 'e'
    return list;
  }

  /** Checks the depth cap, skips the 'l'/'d' and returns its offset. */
  private enterContainer(depth: number): number {
    const start = this.position;
    if (depth >= this.maxDepth) {
      throw new BencodeError(`nesting deeper than ${this.maxDepth} levels at byte ${start}`, start);
    }
    this.position++;
    return start;
  }

  private readInteger(): number {
    const start = this.position;
    this.position++; // 'i'
    const negative = this.bytes[this.position] === CHAR_MINUS;
    if (negative) this.position++;
    const digitsStart = this.position;
    const value = this.readDigits('integer', start);
    const digitCount = this.position - digitsStart;
    const terminator = this.peek('the end of the integer started', start);
    if (terminator !== CHAR_E) {
      throw new BencodeError(`integer at byte ${start} has an unexpected byte at byte ${this.position}`, this.position);
    }
    if (digitCount === 0) throw new BencodeError(`empty integer at byte ${start}`, start);
    if (digitCount > 1 && this.bytes[digitsStart] === CHAR_0) {
      throw new BencodeError(`integer at byte ${start} has a leading zero`, start);
    }
    if (negative && value === 0) throw new BencodeError(`negative zero at byte ${start}`, start);
    this.position++; // 'e'
    return negative ? -value : value;
  }

  private readString(): Uint8Array {
    const start = this.position;
    const digitsStart = this.position;
    const length = this.readDigits('string length', start);
    if (this.position - digitsStart > 1 && this.bytes[digitsStart] === CHAR_0) {
      throw new BencodeError(`string length at byte ${start} has a leading zero`, start);
    }
    if (this.peek("the ':' of the string started", start) !== CHAR_COLON) {
      throw new BencodeError(`expected ':' after the string length at byte ${this.position}`, this.position);
    }
    this.position++;
    if (length > this.maxStringBytes) {
      throw new BencodeError(`string of ${length} bytes at byte ${start} exceeds the limit of ${this.maxStringBytes}`, start);
    }
    const remaining = this.bytes.length - this.position;
    if (length > remaining) {
      throw new BencodeError(`truncated string at byte ${start}: ${length} bytes declared, ${remaining} left`, start, true);
    }
    const value = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** Reads ASCII digits as a safe integer; leaves `position` on the first non-digit. */
  private readDigits(what: 'integer' | 'string length', valueStart: number): number {
    const start = this.position;
    let value = 0;
    while (this.position < this.bytes.length) {
      const byte = this.bytes[this.position]!;
      if (byte < CHAR_0 || byte > CHAR_9) return value;
      if (this.position - start >= MAX_INTEGER_DIGITS) {
        throw new BencodeError(`${what} at byte ${valueStart} is too large`, valueStart);
      }
      value = value * 10 + (byte - CHAR_0);
      if (value > Number.MAX_SAFE_INTEGER) throw new BencodeError(`${what} at byte ${valueStart} is too large`, valueStart);
      this.position++;
    }
    throw new BencodeError(`truncated ${what} at byte ${valueStart}`, valueStart, true);
  }

  /** The next byte; at the end of input, a truncation error naming what was expected. */
  private peek(expected: string, since: number): number {
    if (this.position >= this.bytes.length) {
      const where = since === this.position ? '' : ` at byte ${since}`;
      throw new BencodeError(`input ended at byte ${this.position}, expected ${expected}${where}`, this.position, true);
    }
    return this.bytes[this.position]!;
  }
}
