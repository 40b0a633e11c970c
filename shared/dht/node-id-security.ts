// BEP 42 (DHT security extension): a node id is tied to the node's external IP. Its first 21 bits
// are the CRC-32C of the IP masked (IPv4: all 4 bytes; IPv6: the first 8) with a 3-bit `r` put in
// the top bits, and its last byte holds `r`. Nodes on local addresses are exempt from the check.

import { randomBytes } from '../bytes.ts';
import { crc32c } from './crc32c.ts';
import { parseIPv4, parseIPv6 } from './compact.ts';
import { NODE_ID_BYTES } from './node-id.ts';

const V4_MASK = [0x03, 0x0f, 0x3f, 0xff];
const V6_MASK = [0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, 0xff];

/** The IP's bytes BEP 42 hashes (IPv4, or the first 8 of IPv6), or undefined for non-IP text. */
function maskedAddress(host: string): Uint8Array | undefined {
  const v4 = parseIPv4(host);
  const bytes = v4 ?? parseIPv6(host)?.subarray(0, 8);
  if (!bytes) return undefined;
  const mask = v4 ? V4_MASK : V6_MASK;
  return Uint8Array.from(bytes, (b, i) => b & mask[i]!);
}

/** The 21-bit prefix (as the top bits of a u32) for `host` with `r` in 0..7. */
function prefixFor(masked: Uint8Array, r: number): number {
  const ip = Uint8Array.from(masked);
  ip[0]! |= (r & 0x07) << 5;
  return crc32c(ip);
}

/**
 * A BEP 42 node id for our external address `host` (IPv4 or IPv6 text); `random` supplies the
 * other bytes (tests pass fixed ones: byte 19 is the BEP's `rand`). Undefined if `host` is no IP.
 */
export function nodeIdForAddress(host: string, random: Uint8Array = randomBytes(NODE_ID_BYTES)): Uint8Array | undefined {
  const masked = maskedAddress(host);
  if (!masked) return undefined;
  const id = Uint8Array.from(random.subarray(0, NODE_ID_BYTES));
  const crc = prefixFor(masked, id[19]! & 0x07);
  id[0] = crc >>> 24;
  id[1] = (crc >>> 16) & 0xff;
  id[2] = ((crc >>> 8) & 0xf8) | (id[2]! & 0x07);
  return id;
}

/** BEP 42: does `id` match `host`? Local addresses (and non-IP text) always pass. */
export function nodeIdMatchesAddress(id: Uint8Array, host: string): boolean {
  if (isExemptAddress(host)) return true;
  const masked = maskedAddress(host);
  if (!masked || id.length !== NODE_ID_BYTES) return true;
  const crc = prefixFor(masked, id[19]! & 0x07);
  return id[0] === crc >>> 24 && id[1] === ((crc >>> 16) & 0xff) && (id[2]! & 0xf8) === ((crc >>> 8) & 0xf8);
}

/** BEP 42's exemptions — 10/8, 172.16/12, 192.168/16, 169.254/16, 127/8 — and IPv6 loopback, link-local, ULA. */
export function isExemptAddress(host: string): boolean {
  const v4 = parseIPv4(host);
  if (v4) {
    const [a, b] = [v4[0]!, v4[1]!];
    return a === 10 || a === 127 || (a === 172 && (b & 0xf0) === 16) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const v6 = parseIPv6(host);
  if (!v6) return false;
  const loopback = v6.subarray(0, 15).every((b) => b === 0) && v6[15] === 1;
  return loopback || (v6[0] === 0xfe && (v6[1]! & 0xc0) === 0x80) || (v6[0]! & 0xfe) === 0xfc;
}
