import { describe, expect, it } from 'vitest';
import { encodeCompactPeer6, parseIPv6 } from '../../../shared/dht/compact.ts';

const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : undefined);

describe('parseIPv6', () => {
  it('reads full, compressed and dotted-quad-ended forms', () => {
    expect(hex(parseIPv6('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(parseIPv6('2001:db8::1'))).toBe('20010db8000000000000000000000001');
    expect(hex(parseIPv6('::1'))).toBe('00000000000000000000000000000001');
    expect(hex(parseIPv6('::'))).toBe('00000000000000000000000000000000');
    expect(hex(parseIPv6('fe80::'))).toBe('fe800000000000000000000000000000');
    expect(hex(parseIPv6('::ffff:1.2.3.4'))).toBe('00000000000000000000ffff01020304');
    expect(hex(parseIPv6('[2001:db8::1]'))).toBe('20010db8000000000000000000000001');
  });

  it('refuses what is not one address', () => {
    for (const text of ['1.2.3.4', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1:2:3:4::5:6:7:8', 'gggg::1', '12345::', 'fe80::1%eth0', '', 'example.org']) {
      expect(parseIPv6(text), text).toBeUndefined();
    }
  });
});

describe('encodeCompactPeer6', () => {
  it('gives 18 bytes for an IPv6 peer and nothing for IPv4 or names', () => {
    expect(hex(encodeCompactPeer6({ host: '2001:db8::1', port: 0x1ae1 }))).toBe('20010db80000000000000000000000011ae1');
    expect(encodeCompactPeer6({ host: '::ffff:1.2.3.4', port: 1 })).toBeUndefined();
    expect(encodeCompactPeer6({ host: '1.2.3.4', port: 1 })).toBeUndefined();
    expect(encodeCompactPeer6({ host: 'example.org', port: 1 })).toBeUndefined();
  });
});
