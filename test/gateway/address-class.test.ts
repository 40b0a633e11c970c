// Address classes for every textual form Node accepts as an IP, and IPv6 forms that carry an IPv4
// address (judged by the IPv4 inside). The basic ranges are in address-policy.test.ts.
import { describe, expect, it } from 'vitest';
import { canonicalAddress, classifyAddress, embeddedAddresses, unmapAddress } from '../../gateway/address-class.ts';
import { Policy } from '../../gateway/policy.ts';

describe('IPv6 forms that embed an IPv4 address', () => {
  it.each([
    // IPv4-mapped ::ffff:0:0/96, dotted and hex tails
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    // NAT64 well-known 64:ff9b::/96 (RFC 6052)
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['64:ff9b::e000:1', 'multicast'],
    // NAT64 local-use 64:ff9b:1::/48 (RFC 8215), /96 layout; another layout is reserved
    ['64:ff9b:1::c0a8:101', 'private'],
    ['64:ff9b:1::8.8.4.4', 'public'],
    ['64:ff9b:1:abcd::808:808', 'reserved'],
    ['64:ff9b:0:1::808:808', 'reserved'], // the rest of 64:ff9b::/32
    // 6to4 2002::/16: the IPv4 address is bits 16–47
    ['2002:a00:1::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101:1::1', 'private'],
    ['2002:a9fe:1::1', 'link-local'],
    ['2002:808:808::1', 'public'],
    ['2002:e000:1::1', 'multicast'],
    // Teredo 2001:0::/32: server in bits 32–63, client = last 32 bits XOR 0xffffffff; stricter wins
    ['2001:0:808:808::f5ff:fffe', 'private'], // server 8.8.8.8, client 10.0.0.1
    ['2001:0:a00:1::f7f7:f7f7', 'private'], // server 10.0.0.1, client 8.8.8.8
    ['2001:0:808:808::80ff:fffe', 'loopback'], // client 127.0.0.1
    ['2001:0:808:808::f7f7:f7f7', 'public'], // server and client 8.8.8.8
    ['2001:0:808:808::1fff:fffe', 'multicast'], // client 224.0.0.1: never allowed beats allowed
    ['2001:0:a00:1::1fff:fffe', 'multicast'],
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it('lists the IPv4 addresses inside', () => {
    expect(embeddedAddresses('2001:0:808:808::f5ff:fffe')).toEqual(['8.8.8.8', '10.0.0.1']);
    expect(embeddedAddresses('2002:a00:1::1')).toEqual(['10.0.0.1']);
    expect(embeddedAddresses('2606:4700::1111')).toEqual([]);
    expect(embeddedAddresses('10.0.0.1')).toEqual([]);
  });
});

describe('odd textual forms', () => {
  it.each([
    ['::FFFF:7F00:1', 'loopback'],
    ['::FfFf:127.0.0.1', 'loopback'],
    ['64:FF9B::A00:1', 'private'],
    ['2002:0A00:0001::1', 'private'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::0001', 'loopback'],
    ['FE80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fe80::1%25', 'link-local'],
    ['::1%lo', 'loopback'],
    ['::ffff:10.0.0.1%eth0', 'private'],
    ['::ffff:0a00:0001', 'private'],
    ['FC00::1', 'private'],
    ['FF02::1', 'multicast'],
    ['::0.0.0.1', 'loopback'], // that is ::1
    ['::10.0.0.1', 'reserved'], // deprecated IPv4-compatible
    ['3fff::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['4000::1', 'reserved'], // outside 2000::/3: not assigned
  ])('%s is %s', (ip, cls) => {
    expect(classifyAddress(ip)).toBe(cls);
  });

  it.each(['010.0.0.1', '127.1', '0x7f.0.0.1', '2130706433', '127.0.0.1%eth0', '[::1]', ' ::1', '::1 ', '00000::1', 'localhost', ''])(
    'refuses to classify %j (not an IP to Node either)',
    (text) => {
      expect(() => classifyAddress(text)).toThrow(/not an IP address/);
    },
  );

  it('writes one canonical text per address', () => {
    expect(canonicalAddress('0000:0000:0000:0000:0000:0000:0000:0001')).toBe('::1');
    expect(canonicalAddress('FE80:0:0:0:0:0:0:1%eth0')).toBe('fe80::1');
    expect(canonicalAddress('::FFFF:a00:1')).toBe('10.0.0.1');
    expect(canonicalAddress('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalAddress('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalAddress('::')).toBe('::');
    expect(canonicalAddress('1:0:0:0:0:0:0:0')).toBe('1::');
    expect(canonicalAddress('8.8.8.8')).toBe('8.8.8.8');
    expect(canonicalAddress('not an ip')).toBe('not an ip');
  });

  it('unmaps IPv4-mapped addresses in any form and leaves other text alone', () => {
    expect(unmapAddress('::ffff:1.2.3.4')).toBe('1.2.3.4');
    expect(unmapAddress('::FFFF:102:304')).toBe('1.2.3.4');
    expect(unmapAddress('fe80::1%eth0')).toBe('fe80::1%eth0');
    expect(unmapAddress('unknown')).toBe('unknown');
  });
});

describe('policy on odd forms', () => {
  const strict = new Policy({ allowPrivate: false, ownHttpPort: () => 8080 });
  const open = new Policy({ allowPrivate: true, ownHttpPort: () => 8080 });

  it('refuses every form of a private or loopback address', () => {
    for (const ip of ['::FFFF:7F00:1', '64:ff9b::a00:1', '2002:a00:1::1', '2001:0:808:808::f5ff:fffe', '0:0:0:0:0:0:0:1', 'FE80::1%eth0']) {
      expect(() => strict.checkAddress(ip, 6881), ip).toThrow(/refused: .* address/);
    }
  });

  it('finds its own HTTP port behind any form of a loopback address', () => {
    for (const ip of ['127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1', '0:0:0:0:0:0:0:1']) {
      expect(() => open.checkAddress(ip, 8080), ip).toThrow(/own HTTP port/);
    }
  });
});
