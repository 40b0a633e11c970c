import { describe, expect, it } from 'vitest';
import {
  CompactError, decodeCompactAddress, decodeCompactNodes, decodeCompactNodes6, encodeCompactAddress, encodeCompactNodes, encodeCompactNodes6,
  encodeCompactPeer6, familyOf, parseIPv6,
} from '../../../shared/dht/compact.ts';

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

describe('BEP 32 compact forms', () => {
  it('puts IPv6 nodes in 38-byte entries, IPv4 ones in 26, each list skipping the other family', () => {
    const nodes = [
      { id: new Uint8Array(20).fill(1), host: '::1', port: 6881 },
      { id: new Uint8Array(20).fill(2), host: '127.0.0.1', port: 6882 },
      { id: new Uint8Array(20).fill(3), host: '::ffff:10.0.0.1', port: 6883 },
    ];
    const six = encodeCompactNodes6(nodes);
    expect(six).toHaveLength(38);
    expect(decodeCompactNodes6(six)).toEqual([nodes[0]]);
    expect(decodeCompactNodes(encodeCompactNodes(nodes))).toEqual([nodes[1], { ...nodes[2], host: '10.0.0.1' }]);
    expect(() => decodeCompactNodes6(new Uint8Array(39))).toThrow(CompactError);
  });

  it('encodes an address in 6 or 18 bytes and reads it back', () => {
    for (const peer of [{ host: '1.2.3.4', port: 1 }, { host: '2001:db8::1', port: 65535 }]) {
      expect(decodeCompactAddress(encodeCompactAddress(peer)!)).toEqual(peer);
    }
    expect(encodeCompactAddress({ host: 'example.org', port: 1 })).toBeUndefined();
    expect(decodeCompactAddress(new Uint8Array(5))).toBeUndefined();
    expect([familyOf('::1'), familyOf('::ffff:1.2.3.4'), familyOf('1.2.3.4'), familyOf('router.example')]).toEqual([6, 4, 4, 4]);
  });
});
