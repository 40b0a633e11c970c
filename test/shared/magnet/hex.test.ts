// Tests for shared/hex.ts (kept with the magnet tests, its main user).
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, EncodingError, fromHex, toHex } from '../../../shared/hex.ts';

describe('hex', () => {
  it('round-trips', () => {
    const bytes = new Uint8Array([0, 1, 0x7f, 0x80, 0xab, 0xff]);
    expect(toHex(bytes)).toBe('00017f80abff');
    expect(fromHex('00017f80abff')).toEqual(bytes);
    expect(fromHex('00017F80ABFF')).toEqual(bytes);
    expect(toHex(new Uint8Array())).toBe('');
  });

  it('validates', () => {
    expect(() => fromHex('abc')).toThrow(EncodingError);
    expect(() => fromHex('abc')).toThrow(/odd length/);
    expect(() => fromHex('zz')).toThrow('invalid hex character "z" at 0');
    expect(() => fromHex('0g')).toThrow(/at 1/);
    expect(() => fromHex(' 0')).toThrow(EncodingError);
  });
});

describe('base32 (RFC 4648)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 vector %j', (plain, encoded) => {
    const bytes = new TextEncoder().encode(plain);
    expect(base32Encode(bytes)).toBe(encoded);
    expect(base32Decode(encoded)).toEqual(bytes);
    expect(base32Decode(encoded.toLowerCase())).toEqual(bytes);
  });

  it('accepts padding', () => {
    expect(new TextDecoder().decode(base32Decode('MZXW6==='))).toBe('foo');
  });

  it('decodes a 32-character info-hash to 20 bytes', () => {
    const hash = fromHex('c12fe1c06bba254a9dc9f519b335aa7c1367a88a');
    const encoded = base32Encode(hash);
    expect(encoded).toHaveLength(32);
    expect(base32Decode(encoded)).toEqual(hash);
  });

  it('refuses bad characters and malformed tails', () => {
    expect(() => base32Decode('MZXW1')).toThrow('invalid base32 character "1" at 4');
    expect(() => base32Decode('M')).toThrow(/malformed tail/);
    expect(() => base32Decode('MZX')).toThrow(/malformed tail/);
    expect(() => base32Decode('MZ')).toThrow(/malformed tail/); // 'Z' leaves non-zero bits
  });
});
