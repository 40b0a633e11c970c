// The decoded shape of bencoded data (BEP 3). Byte strings stay bytes (most are not text: piece
// hashes, compact peers). Dict keys are byte strings too; a Map keyed by the key bytes read as
// latin1 keeps them lossless and keeps `__proto__` and friends away from any object prototype.

export type BDict = Map<string, BValue>;
export type BValue = number | Uint8Array | BValue[] | BDict;

/** What `bencode` accepts: decoded values, plus text strings and plain objects for convenience. */
export type BEncodable =
  | number
  | string
  | Uint8Array
  | readonly BEncodable[]
  | ReadonlyMap<string, BEncodable>
  | { readonly [key: string]: BEncodable | undefined };

export function describeBValue(value: unknown): string {
  if (typeof value === 'number') return 'an integer';
  if (value instanceof Uint8Array) return 'a byte string';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a dictionary';
  return value === undefined ? 'missing' : typeof value;
}

/** Key bytes → Map key. latin1 maps each byte to one UTF-16 unit, so it is lossless. */
export function latin1Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let text = '';
  const chunkBytes = 8192; // String.fromCharCode spreads its arguments; keep the stack small
  for (let i = start; i < end; i += chunkBytes) {
    text += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + chunkBytes)));
  }
  return text;
}

/** Inverse of latin1Decode. Throws on code units above 0xff (not a byte-string key). */
export function latin1Encode(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit > 0xff) throw new RangeError(`dict key ${JSON.stringify(text)} is not a latin1 byte string`);
    bytes[i] = unit;
  }
  return bytes;
}
