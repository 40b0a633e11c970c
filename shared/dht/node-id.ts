// Node ids and the XOR metric (BEP 5, Kademlia): ids and info-hashes share one 160-bit space;
// distance(A, B) = A xor B read as an unsigned integer, smaller is closer.

import { randomBytes } from '../bytes.ts';

export const NODE_ID_BYTES = 20;
export const NODE_ID_BITS = NODE_ID_BYTES * 8;

export function isNodeId(bytes: Uint8Array): boolean {
  return bytes.length === NODE_ID_BYTES;
}

export function randomNodeId(): Uint8Array<ArrayBuffer> {
  return randomBytes(NODE_ID_BYTES);
}

export function xorDistance(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(NODE_ID_BYTES);
  for (let i = 0; i < NODE_ID_BYTES; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Negative when `a` is closer to `target` than `b`, positive when farther, 0 when equally far. */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    const da = a[i]! ^ target[i]!;
    const db = b[i]! ^ target[i]!;
    if (da !== db) return da - db;
  }
  return 0;
}

/** How many leading bits two ids share (160 when equal). Names the bucket of `b` seen from `a`. */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < NODE_ID_BYTES; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return NODE_ID_BITS;
}

/**
 * True when `id` lies in the range of ids that share exactly `prefixBits` leading bits with
 * `ownId` — or, with `orMore`, at least that many (the range of the last, splittable bucket).
 */
export function idInBucketRange(ownId: Uint8Array, id: Uint8Array, prefixBits: number, orMore = false): boolean {
  const shared = commonPrefixBits(ownId, id);
  return orMore ? shared >= prefixBits : shared === prefixBits;
}

/** A random id sharing exactly `prefixBits` leading bits with `ownId` (a bucket refresh target). */
export function randomIdInBucket(ownId: Uint8Array, prefixBits: number): Uint8Array<ArrayBuffer> {
  const id = randomNodeId();
  if (prefixBits >= NODE_ID_BITS) return Uint8Array.from(ownId);
  const fullBytes = prefixBits >> 3;
  for (let i = 0; i < fullBytes; i++) id[i] = ownId[i]!;
  const bit = prefixBits & 7;
  const keepMask = (0xff00 >> bit) & 0xff; // the shared bits of the partial byte
  const flipBit = 0x80 >> bit; // the first differing bit
  id[fullBytes] = (ownId[fullBytes]! & keepMask) | (~ownId[fullBytes]! & flipBit) | (id[fullBytes]! & (flipBit - 1));
  return id;
}
