// Compact encodings of the DHT (BEP 5): a node is 26 bytes (20-byte id, IPv4, port), a peer is
// 6 bytes (IPv4, port), both big-endian. BEP 32 adds IPv6: 38-byte nodes (`nodes6`), 18-byte peers.

import { readU16BE, writeU16BE } from '../bytes.ts';
import { formatIPv4, formatIPv6, type PeerAddress } from '../tracker/peers.ts';
import { NODE_ID_BYTES } from './node-id.ts';

export const COMPACT_NODE_BYTES = 26;
export const COMPACT_NODE6_BYTES = 38;

/** The address family a host belongs to (IPv4-mapped IPv6 counts as IPv4; names as IPv4). */
export type AddressFamily = 4 | 6;

export function familyOf(host: string): AddressFamily {
  return parseIPv4(host) === undefined && parseIPv6(host) !== undefined ? 6 : 4;
}

/** A DHT node: its id and the UDP address it answers on. */
export interface DhtContact {
  readonly id: Uint8Array;
  readonly host: string;
  readonly port: number;
}

export class CompactError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompactError';
  }
}

/** Decodes compact node infos; entries with port 0 are dropped. Throws on a partial entry. */
export function decodeCompactNodes(bytes: Uint8Array): DhtContact[] {
  if (bytes.length % COMPACT_NODE_BYTES !== 0) {
    throw new CompactError(`"nodes" of ${bytes.length} bytes is not a multiple of ${COMPACT_NODE_BYTES}`);
  }
  const nodes: DhtContact[] = [];
  for (let offset = 0; offset < bytes.length; offset += COMPACT_NODE_BYTES) {
    const port = readU16BE(bytes, offset + 24);
    if (port === 0) continue;
    const id = Uint8Array.from(bytes.subarray(offset, offset + NODE_ID_BYTES));
    nodes.push({ id, host: formatIPv4(bytes.subarray(offset + 20, offset + 24)), port });
  }
  return nodes;
}

/** BEP 32: decodes `nodes6` (38-byte entries); entries with port 0 are dropped. Throws on a partial entry. */
export function decodeCompactNodes6(bytes: Uint8Array): DhtContact[] {
  if (bytes.length % COMPACT_NODE6_BYTES !== 0) {
    throw new CompactError(`"nodes6" of ${bytes.length} bytes is not a multiple of ${COMPACT_NODE6_BYTES}`);
  }
  const nodes: DhtContact[] = [];
  for (let offset = 0; offset < bytes.length; offset += COMPACT_NODE6_BYTES) {
    const port = readU16BE(bytes, offset + 36);
    if (port === 0) continue;
    const id = Uint8Array.from(bytes.subarray(offset, offset + NODE_ID_BYTES));
    nodes.push({ id, host: formatIPv6(bytes.subarray(offset + 20, offset + 36)), port });
  }
  return nodes;
}

/** Encodes the IPv4 nodes among `nodes`; others are skipped (they belong in BEP 32 `nodes6`). */
export function encodeCompactNodes(nodes: readonly DhtContact[]): Uint8Array {
  return encodeNodes(nodes, 4);
}

/** BEP 32: encodes the IPv6 nodes among `nodes` (38 bytes each); IPv4 ones are skipped. */
export function encodeCompactNodes6(nodes: readonly DhtContact[]): Uint8Array {
  return encodeNodes(nodes, 6);
}

function encodeNodes(nodes: readonly DhtContact[], family: AddressFamily): Uint8Array {
  const entryBytes = family === 4 ? COMPACT_NODE_BYTES : COMPACT_NODE6_BYTES;
  const out = new Uint8Array(nodes.length * entryBytes);
  let offset = 0;
  for (const node of nodes) {
    const address = family === 4 ? parseIPv4(node.host) : familyOf(node.host) === 6 ? parseIPv6(node.host) : undefined;
    if (!address || node.id.length !== NODE_ID_BYTES) continue;
    out.set(node.id, offset);
    out.set(address, offset + 20);
    writeU16BE(out, offset + entryBytes - 2, node.port);
    offset += entryBytes;
  }
  return out.subarray(0, offset);
}

/** A peer or node address in compact form, 6 bytes (IPv4) or 18 (IPv6): BEP 42's `ip`, `values`. */
export function encodeCompactAddress(peer: PeerAddress): Uint8Array | undefined {
  return encodeCompactPeer(peer) ?? encodeCompactPeer6(peer);
}

/** The inverse of encodeCompactAddress; undefined for any other length. */
export function decodeCompactAddress(bytes: Uint8Array): PeerAddress | undefined {
  if (bytes.length === 6) return { host: formatIPv4(bytes.subarray(0, 4)), port: readU16BE(bytes, 4) };
  if (bytes.length === 18) return { host: formatIPv6(bytes.subarray(0, 16)), port: readU16BE(bytes, 16) };
  return undefined;
}

/** 6 bytes for an IPv4 peer, undefined for anything else. */
export function encodeCompactPeer(peer: PeerAddress): Uint8Array | undefined {
  const address = parseIPv4(peer.host);
  if (!address) return undefined;
  const out = new Uint8Array(6);
  out.set(address);
  writeU16BE(out, 4, peer.port);
  return out;
}

/** Dotted-quad IPv4 (also `::ffff:a.b.c.d`) to 4 bytes, or undefined. */
export function parseIPv4(host: string): Uint8Array | undefined {
  const text = host.startsWith('::ffff:') ? host.slice(7) : host;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    out[i] = Number(part);
  }
  return out;
}

/** IPv6 text (RFC 4291 forms: `::` compression, a trailing dotted quad; no zone) to 16 bytes, or undefined. */
export function parseIPv6(host: string): Uint8Array | undefined {
  const text = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (!text.includes(':') || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const words: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) words.push(parseInt(piece, 16));
      else return undefined;
    }
    return words;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  words.forEach((word, i) => { out[2 * i] = word >> 8; out[2 * i + 1] = word & 0xff; });
  return out;
}

/** An IPv6 peer as 18 bytes (address, port big-endian), or undefined for anything else. */
export function encodeCompactPeer6(peer: PeerAddress): Uint8Array | undefined {
  if (parseIPv4(peer.host)) return undefined; // an IPv4-mapped address goes in the IPv4 list
  const address = parseIPv6(peer.host);
  if (!address) return undefined;
  const out = new Uint8Array(18);
  out.set(address);
  writeU16BE(out, 16, peer.port);
  return out;
}
