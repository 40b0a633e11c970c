import { describe, expect, it } from 'vitest';
import { formatIPv6 } from '../../../shared/tracker/peers.ts';

const v6 = (...groups: number[]) => {
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
};

describe('formatIPv6 (RFC 5952)', () => {
  it.each([
    [v6(0, 0, 0, 0, 0, 0, 0, 0), '::'],
    [v6(0, 0, 0, 0, 0, 0, 0, 1), '::1'],
    [v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), '2001:db8::1:0:0:1'], // first of equal runs
    [v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), '2001:db8:0:1:1:1:1:1'], // a single zero stays
    [v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), '2001:db8::'],
    [v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201), '::ffff:192.0.2.1'],
    [v6(0xfe80, 0, 0, 0, 0xabcd, 0xef, 0, 0), 'fe80::abcd:ef:0:0'],
  ])('%o → %s', (bytes, text) => {
    expect(formatIPv6(bytes)).toBe(text);
  });
});
