// UDP tracker protocol (BEP 15): pure request encoders and response decoder. The caller sends the
// datagrams, matches transaction ids, retries, and keeps the connection id for its one minute.

import { readU32BE, utf8Decode, writeU32BE } from '../bytes.ts';
import type { AnnounceEvent } from './http-url.ts';
import { TrackerError } from './errors.ts';
import { decodeCompactIPv4Peers, decodeCompactIPv6Peers, type PeerAddress } from './peers.ts';

// BEP 15 — UDP tracker protocol
export const UdpAction = {
  CONNECT: 0,
  ANNOUNCE: 1,
  SCRAPE: 2,
  ERROR: 3,
} as const;

export const UdpEvent = {
  NONE: 0,
  COMPLETED: 1,
  STARTED: 2,
  STOPPED: 3,
} as const;

/** The magic connection id of a connect request, 0x41727101980, as two u32 halves. */
const PROTOCOL_ID_HIGH = 0x417;
const PROTOCOL_ID_LOW = 0x27101980;
export const CONNECTION_ID_BYTES = 8;
export const MAX_SCRAPE_INFO_HASHES = 74; // keeps a scrape request within one safe datagram
const ANNOUNCE_REQUEST_BYTES = 98;

export interface UdpAnnounceParams {
  readonly connectionId: Uint8Array; // 8 bytes from the connect response
  readonly transactionId: number; // u32
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly downloaded: number; // bytes
  readonly left: number; // bytes
  readonly uploaded: number; // bytes
  readonly event?: AnnounceEvent;
  readonly key: number; // u32
  readonly numwant?: number; // default -1: the tracker's choice
  readonly port: number;
}

export type UdpResponse =
  | { readonly action: 'connect'; readonly transactionId: number; readonly connectionId: Uint8Array }
  | {
      readonly action: 'announce';
      readonly transactionId: number;
      readonly intervalSeconds: number;
      readonly leechers: number;
      readonly seeders: number;
      readonly peers: PeerAddress[];
    }
  | {
      readonly action: 'scrape';
      readonly transactionId: number;
      /** In the order of the request's info-hashes. */
      readonly files: { readonly seeders: number; readonly completed: number; readonly leechers: number }[];
    }
  | { readonly action: 'error'; readonly transactionId: number; readonly message: string };

export function encodeConnectRequest(transactionId: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(16);
  writeU32BE(out, 0, PROTOCOL_ID_HIGH);
  writeU32BE(out, 4, PROTOCOL_ID_LOW);
  writeU32BE(out, 8, UdpAction.CONNECT);
  writeU32BE(out, 12, transactionId);
  return out;
}

export function encodeAnnounceRequest(params: UdpAnnounceParams): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(ANNOUNCE_REQUEST_BYTES);
  writeHeader(out, params.connectionId, UdpAction.ANNOUNCE, params.transactionId);
  checkBytes('info hash', params.infoHash, 20);
  checkBytes('peer id', params.peerId, 20);
  out.set(params.infoHash, 16);
  out.set(params.peerId, 36);
  writeU64(out, 56, params.downloaded);
  writeU64(out, 64, params.left);
  writeU64(out, 72, params.uploaded);
  writeU32BE(out, 80, eventId(params.event));
  writeU32BE(out, 84, 0); // ip: 0 = the sender's address
  writeU32BE(out, 88, params.key);
  writeU32BE(out, 92, (params.numwant ?? -1) >>> 0); // i32 on the wire
  out[96] = (params.port >>> 8) & 0xff;
  out[97] = params.port & 0xff;
  return out;
}

export function encodeScrapeRequest(
  connectionId: Uint8Array,
  transactionId: number,
  infoHashes: readonly Uint8Array[],
): Uint8Array<ArrayBuffer> {
  if (infoHashes.length === 0 || infoHashes.length > MAX_SCRAPE_INFO_HASHES) {
    throw new RangeError(`a UDP scrape takes 1..${MAX_SCRAPE_INFO_HASHES} info-hashes, not ${infoHashes.length}`);
  }
  const out = new Uint8Array(16 + 20 * infoHashes.length);
  writeHeader(out, connectionId, UdpAction.SCRAPE, transactionId);
  infoHashes.forEach((hash, i) => {
    checkBytes('info hash', hash, 20);
    out.set(hash, 16 + 20 * i);
  });
  return out;
}

/**
 * Decodes a tracker's datagram. `ipv6` says the announce went over IPv6, so peers are 18 bytes
 * each (BEP 15). Throws TrackerError('malformed'); an error response is returned, not thrown.
 */
export function decodeUdpResponse(bytes: Uint8Array, options: { ipv6?: boolean } = {}): UdpResponse {
  if (bytes.length < 8) throw malformed(`a UDP tracker response of ${bytes.length} bytes is too short`);
  const action = readU32BE(bytes, 0);
  const transactionId = readU32BE(bytes, 4);
  switch (action) {
    case UdpAction.CONNECT:
      if (bytes.length < 16) throw malformed('connect response shorter than 16 bytes');
      return { action: 'connect', transactionId, connectionId: bytes.slice(8, 16) };
    case UdpAction.ANNOUNCE: {
      if (bytes.length < 20) throw malformed('announce response shorter than 20 bytes');
      const peerBytes = bytes.subarray(20);
      return {
        action: 'announce',
        transactionId,
        intervalSeconds: readU32BE(bytes, 8),
        leechers: readU32BE(bytes, 12),
        seeders: readU32BE(bytes, 16),
        peers: options.ipv6 ? decodeCompactIPv6Peers(peerBytes) : decodeCompactIPv4Peers(peerBytes),
      };
    }
    case UdpAction.SCRAPE: {
      if ((bytes.length - 8) % 12 !== 0) throw malformed('scrape response is not 8 + 12n bytes');
      const files = [];
      for (let offset = 8; offset < bytes.length; offset += 12) {
        files.push({
          seeders: readU32BE(bytes, offset),
          completed: readU32BE(bytes, offset + 4),
          leechers: readU32BE(bytes, offset + 8),
        });
      }
      return { action: 'scrape', transactionId, files };
    }
    case UdpAction.ERROR:
      return { action: 'error', transactionId, message: utf8Decode(bytes.subarray(8)) };
    default:
      throw malformed(`unknown UDP tracker action ${action}`);
  }
}

function eventId(event: AnnounceEvent | undefined): number {
  switch (event) {
    case 'completed':
      return UdpEvent.COMPLETED;
    case 'started':
      return UdpEvent.STARTED;
    case 'stopped':
      return UdpEvent.STOPPED;
    default:
      return UdpEvent.NONE;
  }
}

function writeHeader(out: Uint8Array, connectionId: Uint8Array, action: number, transactionId: number): void {
  checkBytes('connection id', connectionId, CONNECTION_ID_BYTES);
  out.set(connectionId, 0);
  writeU32BE(out, 8, action);
  writeU32BE(out, 12, transactionId);
}

/** A non-negative integer up to 2^53 as u64 big-endian. */
function writeU64(out: Uint8Array, byteOffset: number, value: number): void {
  const whole = Math.max(0, Math.trunc(value));
  writeU32BE(out, byteOffset, Math.floor(whole / 2 ** 32));
  writeU32BE(out, byteOffset + 4, whole % 2 ** 32);
}

function checkBytes(what: string, bytes: Uint8Array, expected: number): void {
  if (bytes.length !== expected) throw new RangeError(`${what} must be ${expected} bytes, got ${bytes.length}`);
}

function malformed(message: string): TrackerError {
  return new TrackerError('malformed', message);
}
