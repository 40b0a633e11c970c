// Bencode encoder (BEP 3). Dict keys are sorted as raw bytes, as BEP 3 requires. Map keys are
// byte strings in latin1 form (what `bdecode` produces); plain-object keys and string values are
// text and are encoded as UTF-8. `undefined` object fields are skipped (handy for optional fields).

import { BencodeError } from './errors.ts';
import { latin1Encode, type BEncodable } from './types.ts';

const utf8 = new TextEncoder();

export function bencode(value: BEncodable): Uint8Array {
  const writer = new ByteWriter();
  writeValue(writer, value, 0);
  return writer.finish();
}

// Encoding recursion mirrors the decoder's default cap so we never emit what we would refuse.
const MAX_ENCODE_DEPTH = 64;

function writeValue(writer: ByteWriter, value: BEncodable, depth: number): void {
  if (typeof value === 'number') return writeInteger(writer, value);
  if (typeof value === 'string') return writeBytes(writer, utf8.encode(value));
  if (value instanceof Uint8Array) return writeBytes(writer, value);
  // Like the decoder: containers at depth 0..63 (64 levels); a scalar inside the deepest is fine.
  if (depth >= MAX_ENCODE_DEPTH) {
    throw new BencodeError(`cannot encode nesting deeper than ${MAX_ENCODE_DEPTH} levels`, writer.length);
  }
  if (Array.isArray(value)) {
    writer.byte(0x6c); // 'l'
    for (const item of value as readonly BEncodable[]) writeValue(writer, item, depth + 1);
    writer.byte(0x65); // 'e'
    return;
  }
  if (value instanceof Map) return writeDict(writer, mapEntries(value), depth);
  if (typeof value === 'object' && value !== null) {
    return writeDict(writer, objectEntries(value as { readonly [key: string]: BEncodable | undefined }), depth);
  }
  throw new BencodeError(`cannot encode ${value === null ? 'null' : typeof value}`, writer.length);
}

function writeInteger(writer: ByteWriter, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new BencodeError(`cannot encode ${value}: bencode integers must be safe integers`, writer.length);
  }
  writer.ascii(`i${value}e`);
}

function writeBytes(writer: ByteWriter, bytes: Uint8Array): void {
  writer.ascii(`${bytes.length}:`);
  writer.bytes(bytes);
}

type Entry = [keyBytes: Uint8Array, value: BEncodable];

function mapEntries(map: ReadonlyMap<string, BEncodable>): Entry[] {
  return [...map].map(([key, value]): Entry => [latin1Encode(key), value]);
}

function objectEntries(object: { readonly [key: string]: BEncodable | undefined }): Entry[] {
  const entries: Entry[] = [];
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (value !== undefined) entries.push([utf8.encode(key), value]);
  }
  return entries;
}

function writeDict(writer: ByteWriter, entries: Entry[], depth: number): void {
  entries.sort((a, b) => compareBytes(a[0], b[0]));
  writer.byte(0x64); // 'd'
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i]!;
    if (i > 0 && compareBytes(entries[i - 1]![0], key) === 0) {
      throw new BencodeError(`duplicate dictionary key ${JSON.stringify(new TextDecoder().decode(key))}`, writer.length);
    }
    writeBytes(writer, key);
    writeValue(writer, value, depth + 1);
  }
  writer.byte(0x65); // 'e'
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** A growable output buffer (doubling), so encoding is linear in the output size. */
class ByteWriter {
  private buffer = new Uint8Array(256);
  length = 0;

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  ascii(text: string): void {
    this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buffer[this.length++] = text.charCodeAt(i);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extraBytes: number): void {
    const needed = this.length + extraBytes;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
