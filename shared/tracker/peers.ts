// Peer addresses as trackers send them: compact IPv4 (BEP 23, 6 bytes each), compact IPv6
// (BEP 7, 18 bytes each). Shared by the HTTP and UDP tracker codecs (and usable for PEX).

import { readU16BE } from '../bytes.ts';
import { TrackerError } from './errors.ts';

export interface PeerAddress {
  /** Dotted IPv4, RFC 5952 IPv6 (no brackets), or a hostname from a dictionary peer list. */
  readonly host: string;
  readonly port: number;
  /** Only dictionary peer lists carry peer ids. */
  readonly peerId?: Uint8Array;
}

export const COMPACT_IPV4_PEER_BYTES = 6;
export const COMPACT_IPV6_PEER_BYTES = 18;

/** Decodes compact IPv4 peers; entries with port 0 are dropped. Throws on a partial entry. */
export function decodeCompactIPv4Peers(bytes: Uint8Array): PeerAddress[] {
  return decodeCompact(bytes, COMPACT_IPV4_PEER_BYTES, formatIPv4);
}

/** Decodes compact IPv6 peers; entries with port 0 are dropped. Throws on a partial entry. */
export function decodeCompactIPv6Peers(bytes: Uint8Array): PeerAddress[] {
  return decodeCompact(bytes, COMPACT_IPV6_PEER_BYTES, formatIPv6);
}

function decodeCompact(
  bytes: Uint8Array,
  entryBytes: number,
  formatAddress: (address: Uint8Array) => string,
): PeerAddress[] {
  if (bytes.length % entryBytes !== 0) {
    throw new TrackerError('malformed', `compact peer list of ${bytes.length} bytes is not a multiple of ${entryBytes}`);
  }
  const addressBytes = entryBytes - 2;
  const peers: PeerAddress[] = [];
  for (let offset = 0; offset < bytes.length; offset += entryBytes) {
    const port = readU16BE(bytes, offset + addressBytes);
    if (port === 0) continue;
    peers.push({ host: formatAddress(bytes.subarray(offset, offset + addressBytes)), port });
  }
  return peers;
}

export function formatIPv4(address: Uint8Array): string {
  return `${address[0]}.${address[1]}.${address[2]}.${address[3]}`;
}

/** RFC 5952 text: lowercase hex, the longest run (2+) of zero groups as "::", IPv4-mapped kept dotted. */
export function formatIPv6(address: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(readU16BE(address, i));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(address.subarray(12, 16))}`;
  }
  let bestStart = -1;
  let bestLength = 1; // a single zero group is not compressed
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
