// BEP 3 handshake: pstrlen u8 (19) | "BitTorrent protocol" | reserved 8 | info_hash 20 | peer_id 20.
// Not length-prefixed, so MessageFramer parses it separately when asked to.

import {
  HANDSHAKE_BYTES,
  INFO_HASH_BYTES,
  PEER_ID_BYTES,
  PROTOCOL_NAME,
  RESERVED_BYTES,
  ReservedBit,
  type ReservedFlag,
} from './constants.ts';
import { PeerWireError } from './errors.ts';

export interface Handshake {
  readonly reserved: Uint8Array;
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
}

const PSTR_BYTES = Uint8Array.from(PROTOCOL_NAME, (c) => c.charCodeAt(0));
const RESERVED_OFFSET = 1 + PSTR_BYTES.length;
const INFO_HASH_OFFSET = RESERVED_OFFSET + RESERVED_BYTES;
const PEER_ID_OFFSET = INFO_HASH_OFFSET + INFO_HASH_BYTES;

export function encodeHandshake(handshake: Handshake): Uint8Array<ArrayBuffer> {
  checkSize('reserved', handshake.reserved, RESERVED_BYTES);
  checkSize('info hash', handshake.infoHash, INFO_HASH_BYTES);
  checkSize('peer id', handshake.peerId, PEER_ID_BYTES);
  const out = new Uint8Array(HANDSHAKE_BYTES);
  out[0] = PSTR_BYTES.length;
  out.set(PSTR_BYTES, 1);
  out.set(handshake.reserved, RESERVED_OFFSET);
  out.set(handshake.infoHash, INFO_HASH_OFFSET);
  out.set(handshake.peerId, PEER_ID_OFFSET);
  return out;
}

/**
 * Decodes the first 68 bytes of `bytes` (more are ignored: they are the first messages).
 * The result's fields are copies. Throws PeerWireError('bad-handshake').
 */
export function decodeHandshake(bytes: Uint8Array): Handshake {
  if (bytes.length < HANDSHAKE_BYTES) {
    throw new PeerWireError('bad-handshake', `handshake needs ${HANDSHAKE_BYTES} bytes, got ${bytes.length}`);
  }
  checkProtocolPrefix(bytes);
  return {
    reserved: bytes.slice(RESERVED_OFFSET, INFO_HASH_OFFSET),
    infoHash: bytes.slice(INFO_HASH_OFFSET, PEER_ID_OFFSET),
    peerId: bytes.slice(PEER_ID_OFFSET, HANDSHAKE_BYTES),
  };
}

/** Checks pstrlen and pstr as far as `bytes` goes, so a wrong protocol fails on its first byte. */
export function checkProtocolPrefix(bytes: Uint8Array): void {
  const checked = Math.min(bytes.length, RESERVED_OFFSET);
  if (checked > 0 && bytes[0] !== PSTR_BYTES.length) {
    throw new PeerWireError('bad-handshake', `handshake pstrlen is ${bytes[0]}, expected ${PSTR_BYTES.length}`);
  }
  for (let i = 1; i < checked; i++) {
    if (bytes[i] !== PSTR_BYTES[i - 1]) {
      throw new PeerWireError('bad-handshake', 'handshake protocol string is not "BitTorrent protocol"');
    }
  }
}

export interface ReservedOptions {
  extensionProtocol?: boolean; // BEP 10
  fast?: boolean; // BEP 6
  dht?: boolean; // BEP 5
}

export function makeReserved(options: ReservedOptions): Uint8Array<ArrayBuffer> {
  const reserved = new Uint8Array(RESERVED_BYTES);
  if (options.extensionProtocol) setReservedFlag(reserved, ReservedBit.EXTENSION_PROTOCOL);
  if (options.fast) setReservedFlag(reserved, ReservedBit.FAST);
  if (options.dht) setReservedFlag(reserved, ReservedBit.DHT);
  return reserved;
}

export function hasReservedFlag(reserved: Uint8Array, flag: ReservedFlag): boolean {
  return (reserved[flag.byteIndex]! & flag.mask) !== 0;
}

export function setReservedFlag(reserved: Uint8Array, flag: ReservedFlag): void {
  reserved[flag.byteIndex]! |= flag.mask;
}

export const supportsExtensionProtocol = (reserved: Uint8Array): boolean =>
  hasReservedFlag(reserved, ReservedBit.EXTENSION_PROTOCOL);
export const supportsFastExtension = (reserved: Uint8Array): boolean => hasReservedFlag(reserved, ReservedBit.FAST);
export const supportsDht = (reserved: Uint8Array): boolean => hasReservedFlag(reserved, ReservedBit.DHT);

function checkSize(what: string, bytes: Uint8Array, expected: number): void {
  if (bytes.length !== expected) {
    throw new PeerWireError('invalid-message', `${what} must be ${expected} bytes, got ${bytes.length}`);
  }
}
