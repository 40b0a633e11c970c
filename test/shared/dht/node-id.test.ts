import { describe, expect, it } from 'vitest';
import { commonPrefixBits, compareDistance, idInBucketRange, NODE_ID_BITS, randomIdInBucket, randomNodeId, xorDistance } from '../../../shared/dht/node-id.ts';
import { id } from './ids.ts';


describe('node ids and the XOR metric (BEP 5)', () => {
  it('computes XOR distance and orders by it as an unsigned integer', () => {
    expect(xorDistance(id(0xf0, 1), id(0x0f, 1))).toEqual(id(0xff, 0));
    const target = id(0x80);
    expect(compareDistance(target, id(0x81), id(0x7f))).toBeLessThan(0); // 0x01 < 0xff
    expect(compareDistance(target, id(0x00, 0xff), id(0x00, 0x01))).toBeGreaterThan(0);
    expect(compareDistance(target, id(5), id(5))).toBe(0);
  });

  it('counts common prefix bits', () => {
    expect(commonPrefixBits(id(0), id(0))).toBe(NODE_ID_BITS);
    expect(commonPrefixBits(id(0x80), id(0x00))).toBe(0);
    expect(commonPrefixBits(id(0x00), id(0x01))).toBe(7);
    expect(commonPrefixBits(id(0, 0, 0x20), id(0, 0, 0x30))).toBe(19);
    const a = id();
    const b = id();
    b[19] = 1;
    expect(commonPrefixBits(a, b)).toBe(159);
  });

  it('makes random ids, and random ids in a bucket range', () => {
    expect(randomNodeId()).toHaveLength(20);
    expect(randomNodeId()).not.toEqual(randomNodeId());
    const own = randomNodeId();
    for (const prefixBits of [0, 1, 7, 8, 9, 77, 159]) {
      const target = randomIdInBucket(own, prefixBits);
      expect(commonPrefixBits(own, target)).toBe(prefixBits);
      expect(idInBucketRange(own, target, prefixBits)).toBe(true);
      expect(idInBucketRange(own, target, prefixBits + 1)).toBe(false);
      expect(idInBucketRange(own, target, Math.max(0, prefixBits - 1), true)).toBe(true);
    }
    expect(randomIdInBucket(own, 160)).toEqual(own);
  });
});
