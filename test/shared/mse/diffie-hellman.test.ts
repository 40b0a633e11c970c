import { createDiffieHellman } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../shared/hex.ts';
import { MseError } from '../../../shared/mse/errors.ts';
import {
  bigIntToBytes,
  DH_KEY_BYTES,
  DhKeyPair,
  makeKeyPair,
  modPow,
  MSE_PRIME,
  parsePublicKey,
} from '../../../shared/mse/diffie-hellman.ts';

const primeBytes = bigIntToBytes(MSE_PRIME, DH_KEY_BYTES);

/** A deterministic byte source, so a failure can be replayed. */
function counterBytes(seed: number): (byteLength: number) => Uint8Array {
  return (byteLength) => Uint8Array.from({ length: byteLength }, (_, i) => (seed * 31 + i * 17) & 0xff);
}

describe('Diffie-Hellman (MSE)', () => {
  it('uses the 768-bit prime of the spec', () => {
    expect(MSE_PRIME.toString(2)).toHaveLength(768);
    expect(toHex(primeBytes.subarray(0, 12))).toBe('ffffffffffffffffc90fdaa2');
    expect(toHex(primeBytes.subarray(84))).toBe('a63a36210000000000090563');
  });

  it('two key pairs agree on a 96-byte secret', () => {
    const a = makeKeyPair();
    const b = makeKeyPair();
    expect(a.publicKey).toHaveLength(DH_KEY_BYTES);
    const secret = a.sharedSecret(b.publicKey);
    expect(secret).toHaveLength(DH_KEY_BYTES);
    expect(toHex(secret)).toBe(toHex(b.sharedSecret(a.publicKey)));
    expect(toHex(a.publicKey)).not.toBe(toHex(b.publicKey));
  });

  it('matches node:crypto (OpenSSL) for the same private keys', () => {
    const privateA = counterBytes(1)(20);
    privateA[0]! |= 0x80;
    const ours = makeKeyPair(counterBytes(1));
    const openssl = createDiffieHellman(primeBytes, Uint8Array.of(2));
    openssl.setPrivateKey(privateA);
    openssl.generateKeys();
    expect(toHex(ours.publicKey)).toBe(toHex(bigIntToBytes(BigInt(`0x${openssl.getPublicKey('hex')}`), 96)));
    const other = makeKeyPair(counterBytes(2));
    const opensslSecret = openssl.computeSecret(other.publicKey);
    expect(toHex(ours.sharedSecret(other.publicKey))).toBe(
      toHex(bigIntToBytes(BigInt(`0x${opensslSecret.toString('hex')}`), 96)),
    );
  });

  it('pads a small public key and secret on the left to 96 bytes', () => {
    const pair = new DhKeyPair(5n); // 2^5 = 32
    expect(toHex(pair.publicKey)).toBe('00'.repeat(95) + '20');
    const y = bigIntToBytes(3n, 96);
    expect(toHex(pair.sharedSecret(y))).toBe('00'.repeat(95) + 'f3'); // 3^5 = 243
  });

  it('is fast: a key pair and a secret in a few ms', () => {
    const started = performance.now();
    for (let i = 0; i < 10; i++) makeKeyPair().sharedSecret(makeKeyPair().publicKey);
    expect((performance.now() - started) / 10).toBeLessThan(50);
  });

  it('modPow agrees with small known results', () => {
    expect(modPow(4n, 13n, 497n)).toBe(445n);
    expect(modPow(7n, 0n, 13n)).toBe(1n);
    expect(modPow(2n, 10n, 1_000_000n)).toBe(1024n);
  });

  it.each([
    ['0', 0n],
    ['1', 1n],
    ['P-1', MSE_PRIME - 1n],
    ['P', MSE_PRIME],
    ['2^768-1', (1n << 768n) - 1n],
  ])('refuses Y = %s with MseError bad-public-key', (_name, y) => {
    const pair = makeKeyPair();
    const error = catchError(() => pair.sharedSecret(bigIntToBytes(y, 96)));
    expect(error).toBeInstanceOf(MseError);
    expect((error as MseError).code).toBe('bad-public-key');
  });

  it('refuses a public key of the wrong size', () => {
    expect(() => parsePublicKey(new Uint8Array(95).fill(1))).toThrow(MseError);
    expect(() => parsePublicKey(new Uint8Array(97).fill(1))).toThrow(MseError);
    expect(parsePublicKey(fromHex('00'.repeat(95) + '02'))).toBe(2n);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
