// MSE/PE's Diffie-Hellman key exchange: the 768-bit prime P of the spec, generator 2, 96-byte
// big-endian public keys and shared secret. BigInt square-and-multiply; a 160-bit private key (the
// spec's advice: at least 128 bits, more than 180 adds nothing but time) keeps it to a few ms.

import { randomBytes } from '../bytes.ts';
import { MseError } from './errors.ts';

/** Bytes of a public key Y and of the shared secret S, both big-endian and left-padded with zeros. */
export const DH_KEY_BYTES = 96;
/** Bytes of a private key X. */
export const DH_PRIVATE_KEY_BYTES = 20;

export const MSE_PRIME = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563',
);
export const MSE_GENERATOR = 2n;

export class DhKeyPair {
  /** Y = G^X mod P, 96 bytes big-endian: what goes on the wire. */
  readonly publicKey: Uint8Array;

  constructor(private readonly privateKey: bigint) {
    if (privateKey < 2n) throw new RangeError('Diffie-Hellman private key must be at least 2');
    this.publicKey = bigIntToBytes(modPow(MSE_GENERATOR, privateKey, MSE_PRIME), DH_KEY_BYTES);
  }

  /** S = Y_theirs^X mod P, 96 bytes big-endian. Throws MseError('bad-public-key') for a bad Y. */
  sharedSecret(theirPublicKey: Uint8Array): Uint8Array {
    return bigIntToBytes(modPow(parsePublicKey(theirPublicKey), this.privateKey, MSE_PRIME), DH_KEY_BYTES);
  }
}

/** A fresh key pair; `random` (default Web Crypto) supplies the private key's bytes. */
export function makeKeyPair(random: (byteLength: number) => Uint8Array = randomBytes): DhKeyPair {
  const bytes = random(DH_PRIVATE_KEY_BYTES);
  bytes[0]! |= 0x80; // a full 160-bit exponent, never 0 or 1
  return new DhKeyPair(bytesToBigInt(bytes));
}

/** Reads a peer's Y, refusing the values that would make S guessable (1 < Y < P-1 is required). */
export function parsePublicKey(bytes: Uint8Array): bigint {
  if (bytes.length !== DH_KEY_BYTES) {
    throw new MseError('bad-public-key', `public key is ${bytes.length} bytes, expected ${DH_KEY_BYTES}`);
  }
  const y = bytesToBigInt(bytes);
  if (y <= 1n || y >= MSE_PRIME - 1n) throw new MseError('bad-public-key', 'public key outside 1 < Y < P-1');
  return y;
}

/** base^exponent mod modulus by left-to-right square-and-multiply. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  const reduced = base % modulus;
  for (const bit of exponent.toString(2)) {
    result = (result * result) % modulus;
    if (bit === '1') result = (result * reduced) % modulus;
  }
  return result;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Big-endian, left-padded with zeros to `byteLength`. */
export function bigIntToBytes(value: bigint, byteLength: number): Uint8Array {
  const out = new Uint8Array(byteLength);
  let rest = value;
  for (let i = byteLength - 1; i >= 0 && rest > 0n; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest > 0n) throw new RangeError(`value does not fit in ${byteLength} bytes`);
  return out;
}
