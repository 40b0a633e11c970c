import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1 } from '../../../shared/crypto/sha1.ts';
import { toHex } from '../../../shared/hex.ts';

const nodeSha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('sha1', () => {
  it('matches the FIPS 180 examples', () => {
    expect(toHex(sha1(new Uint8Array()))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(toHex(sha1(new TextEncoder().encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(sha1(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    );
  });

  it.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096, 1 << 20, (1 << 20) + 13])(
    'matches node:crypto on %i random bytes',
    (length) => {
      const input = new Uint8Array(randomBytes(length));
      expect(toHex(sha1(input))).toBe(nodeSha1(input));
    },
  );

  it('hashes a view into a larger buffer (byteOffset respected)', () => {
    const buffer = new Uint8Array(randomBytes(300));
    const view = buffer.subarray(17, 217);
    expect(toHex(sha1(view))).toBe(nodeSha1(view));
  });
});
