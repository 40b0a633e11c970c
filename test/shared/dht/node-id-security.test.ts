import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../shared/dht/crc32c.ts';
import { isExemptAddress, nodeIdForAddress, nodeIdMatchesAddress } from '../../../shared/dht/node-id-security.ts';
import { fromHex, toHex } from '../../../shared/hex.ts';

// BEP 42's table: IP, rand (byte 19), and the id's first 3 bytes (the 21 checked bits, then 3 free ones).
const VECTORS: Array<[ip: string, rand: number, prefix: string]> = [
  ['124.31.75.21', 1, '5fbfbf'],
  ['21.75.31.124', 86, '5a3ce9'],
  ['65.23.51.170', 22, 'a5d432'],
  ['84.124.73.14', 65, '1b0321'],
  ['43.213.53.83', 90, 'e56f6c'],
];
const EXAMPLE_IDS = [
  '5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401',
  '5a3ce9c14e7a08645677bbd1cfe7d8f956d53256',
  'a5d43220bc8f112a3d426c84764f8c2a1150e616',
  '1b0321dd1bb1fe518101ceef99462b947a01ff41',
  'e56f6cbf5b7c4be0237986d5243b87aa6d51305a',
];

describe('crc32c', () => {
  it('gives the Castagnoli check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });
});

describe('BEP 42 node ids', () => {
  it.each(VECTORS.map((v, i) => [...v, EXAMPLE_IDS[i]!] as const))('%s with rand %i starts %s', (ip, rand, prefix, example) => {
    const random = fromHex(example); // the BEP's example: its free bits kept, its checked bits recomputed
    random[0] = 0; random[1] = 0; random[2] &= 0x07;
    const id = nodeIdForAddress(ip, random)!;
    expect(id[19]).toBe(rand);
    expect(toHex(id)).toBe(example);
    expect(toHex(id.subarray(0, 3)).slice(0, 5)).toBe(prefix.slice(0, 5));
    expect(nodeIdMatchesAddress(fromHex(example), ip)).toBe(true);
  });

  it('refuses an id made for another address, accepts one made for this', () => {
    const id = nodeIdForAddress('124.31.75.21')!;
    expect(nodeIdMatchesAddress(id, '124.31.75.21')).toBe(true);
    expect(nodeIdMatchesAddress(id, '21.75.31.124')).toBe(false);
    // Only the masked bits count: 252 (0xfc) and 124 (0x7c) share their low 2 bits.
    expect(nodeIdMatchesAddress(id, '252.31.75.21')).toBe(true);
    expect(nodeIdMatchesAddress(id, '125.31.75.21')).toBe(false);
  });

  it('makes IPv6 ids from the first 8 bytes', () => {
    const id = nodeIdForAddress('2001:db8:1:2::1')!;
    expect(nodeIdMatchesAddress(id, '2001:db8:1:2:ffff::9')).toBe(true);
    expect(nodeIdMatchesAddress(id, '2001:db8:1:3::1')).toBe(false);
  });

  it('exempts local addresses and ignores what is not an IP', () => {
    const id = nodeIdForAddress('124.31.75.21')!;
    for (const local of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.3.4', '::1', 'fe80::1', 'fd00::2']) {
      expect(isExemptAddress(local)).toBe(true);
      expect(nodeIdMatchesAddress(id, local)).toBe(true);
    }
    expect(isExemptAddress('172.32.0.1')).toBe(false);
    expect(nodeIdForAddress('router.example')).toBeUndefined();
  });
});
