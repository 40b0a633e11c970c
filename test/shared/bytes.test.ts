import { describe, expect, it } from 'vitest';
import {
  concatBytes,
  equalBytes,
  randomBytes,
  readU32BE,
  utf8Decode,
  utf8Encode,
  writeU32BE,
} from '../../shared/bytes.ts';

describe('bytes', () => {
  it('concatenates and compares', () => {
    const joined = concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)]);
    expect(equalBytes(joined, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(equalBytes(joined, Uint8Array.of(1, 2))).toBe(false);
    expect(equalBytes(joined, Uint8Array.of(1, 2, 4))).toBe(false);
  });

  it('reads and writes u32 big-endian, including values above 2^31', () => {
    const bytes = new Uint8Array(5);
    writeU32BE(bytes, 1, 0xdeadbeef);
    expect([...bytes]).toEqual([0, 0xde, 0xad, 0xbe, 0xef]);
    expect(readU32BE(bytes, 1)).toBe(0xdeadbeef);
  });

  it('round-trips utf8', () => {
    expect(utf8Decode(utf8Encode('héllo ✓'))).toBe('héllo ✓');
  });

  it('makes random bytes of any size', () => {
    expect(randomBytes(20)).toHaveLength(20);
    expect(randomBytes(100_000)).toHaveLength(100_000);
  });
});
