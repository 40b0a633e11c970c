// BEP 6's allowed fast set: the pieces a peer at `ip` may request even while choked, the same set
// whoever computes it (the BEP's canonical algorithm): SHA-1 over the address masked to its /24
// and the info-hash, cut into 4-byte indices, hashed again until k distinct pieces are found.
// IPv4 only, as the BEP defines it.
import { sha1 } from '../crypto/sha1.ts';
import { parseIPv4 } from '../dht/compact.ts';

/** How many allowed fast pieces we give and accept (libtorrent's default is 10). */
export const ALLOWED_FAST_COUNT = 10;

export function allowedFastSet(ip: string, infoHash: Uint8Array, pieceCount: number, k = ALLOWED_FAST_COUNT): number[] {
  const address = parseIPv4(ip);
  if (!address || pieceCount === 0) return [];
  const wanted = Math.min(k, pieceCount);
  let x: Uint8Array = new Uint8Array(24);
  x.set(address.subarray(0, 3)); // ip & 0xffffff00
  x.set(infoHash, 4);
  const pieces: number[] = [];
  while (pieces.length < wanted) {
    x = sha1(x);
    for (let i = 0; i < 5 && pieces.length < wanted; i++) {
      const y = ((x[4 * i]! << 24) | (x[4 * i + 1]! << 16) | (x[4 * i + 2]! << 8) | x[4 * i + 3]!) >>> 0;
      const index = y % pieceCount;
      if (!pieces.includes(index)) pieces.push(index);
    }
  }
  return pieces;
}
