import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../shared/hex.ts';
import {
  keyA,
  keyB,
  makeCiphers,
  obfuscatedSkeyHash,
  recoverReq2Hash,
  req1Hash,
  req2Hash,
  req3Hash,
} from '../../../shared/mse/keys.ts';
import { makeKeyPair } from '../../../shared/mse/diffie-hellman.ts';
import { mseRc4 } from '../../../shared/mse/rc4.ts';

const secret = Uint8Array.from({ length: 96 }, (_, i) => (i * 13 + 5) & 0xff);
const infoHash = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);

/** SHA-1 from OpenSSL, an implementation independent of shared/crypto/sha1.ts. */
function opensslHash(label: string, ...parts: Uint8Array[]): string {
  const hasher = createHash('sha1').update(label);
  for (const part of parts) hasher.update(part);
  return hasher.digest('hex');
}

describe('MSE key derivation', () => {
  it('hashes the labels and inputs in the order of the spec', () => {
    expect(toHex(req1Hash(secret))).toBe(opensslHash('req1', secret));
    expect(toHex(req2Hash(infoHash))).toBe(opensslHash('req2', infoHash));
    expect(toHex(req3Hash(secret))).toBe(opensslHash('req3', secret));
    expect(toHex(keyA(secret, infoHash))).toBe(opensslHash('keyA', secret, infoHash));
    expect(toHex(keyB(secret, infoHash))).toBe(opensslHash('keyB', secret, infoHash));
  });

  it('lets the receiver recover HASH(req2, SKEY) from the xor with HASH(req3, S)', () => {
    const sent = obfuscatedSkeyHash(infoHash, secret);
    const req2 = BigInt(`0x${opensslHash('req2', infoHash)}`) ^ BigInt(`0x${opensslHash('req3', secret)}`);
    expect(toHex(sent)).toBe(req2.toString(16).padStart(40, '0'));
    expect(toHex(recoverReq2Hash(sent, secret))).toBe(toHex(req2Hash(infoHash)));
  });

  it('gives the initiator keyA to send and keyB to receive, the receiver the opposite', () => {
    const a = makeKeyPair();
    const b = makeKeyPair();
    const initiator = makeCiphers('initiator', a.sharedSecret(b.publicKey), infoHash);
    const receiver = makeCiphers('receiver', b.sharedSecret(a.publicKey), infoHash);
    const message = new TextEncoder().encode('\x13BitTorrent protocol');
    const onWire = initiator.outgoing.encrypt(message.slice());
    expect(toHex(onWire)).not.toBe(toHex(message));
    expect(receiver.incoming.decrypt(onWire)).toEqual(message);
    expect(initiator.incoming.decrypt(receiver.outgoing.encrypt(message.slice()))).toEqual(message);
    // The initiator's outgoing stream is RC4-drop1024 keyed with HASH('keyA', S, SKEY).
    const expected = mseRc4(keyA(a.sharedSecret(b.publicKey), infoHash)).keystream(message.length + 8);
    expect(toHex(initiator.outgoing.keystream(8))).toBe(toHex(expected.subarray(message.length)));
  });
});
