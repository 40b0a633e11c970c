// The MSE/PE handshake hashes (all SHA-1): S is the 96-byte Diffie-Hellman secret, SKEY the stream
// key, which for BitTorrent is the torrent's 20-byte info-hash.
//   HASH('req1', S)                         lets the receiver find where PadA ends;
//   HASH('req2', SKEY) xor HASH('req3', S)  names the torrent without showing its info-hash;
//   HASH('keyA', S, SKEY) / HASH('keyB', S, SKEY)  key the RC4 streams.

import { concatBytes, utf8Encode } from '../bytes.ts';
import { sha1 } from '../crypto/sha1.ts';
import { mseRc4, type RC4 } from './rc4.ts';

export const HASH_BYTES = 20;

export type MseRole = 'initiator' | 'receiver';

function hash(label: string, ...parts: Uint8Array[]): Uint8Array {
  return sha1(concatBytes([utf8Encode(label), ...parts]));
}

/** HASH('req1', S): the receiver's synchronisation point. */
export function req1Hash(secret: Uint8Array): Uint8Array {
  return hash('req1', secret);
}

/** HASH('req2', SKEY): what a receiver indexes its torrents by. */
export function req2Hash(skey: Uint8Array): Uint8Array {
  return hash('req2', skey);
}

/** HASH('req3', S). */
export function req3Hash(secret: Uint8Array): Uint8Array {
  return hash('req3', secret);
}

/** HASH('req2', SKEY) xor HASH('req3', S): what the initiator sends after req1. */
export function obfuscatedSkeyHash(skey: Uint8Array, secret: Uint8Array): Uint8Array {
  return xorBytes(req2Hash(skey), req3Hash(secret));
}

/** The receiver's inverse: HASH('req2', SKEY) from the received xor value. */
export function recoverReq2Hash(received: Uint8Array, secret: Uint8Array): Uint8Array {
  return xorBytes(received, req3Hash(secret));
}

/** RC4 key of the stream the initiator (A) sends on: HASH('keyA', S, SKEY). */
export function keyA(secret: Uint8Array, skey: Uint8Array): Uint8Array {
  return hash('keyA', secret, skey);
}

/** RC4 key of the stream the receiver (B) sends on: HASH('keyB', S, SKEY). */
export function keyB(secret: Uint8Array, skey: Uint8Array): Uint8Array {
  return hash('keyB', secret, skey);
}

export interface MseCiphers {
  /** Encrypts what this side sends. */
  readonly outgoing: RC4;
  /** Decrypts what this side receives. */
  readonly incoming: RC4;
}

/** Both RC4 streams for one side, 1024 keystream bytes already discarded. */
export function makeCiphers(role: MseRole, secret: Uint8Array, skey: Uint8Array): MseCiphers {
  const a = mseRc4(keyA(secret, skey));
  const b = mseRc4(keyB(secret, skey));
  return role === 'initiator' ? { outgoing: a, incoming: b } : { outgoing: b, incoming: a };
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  return a.map((byte, i) => byte ^ b[i]!);
}
