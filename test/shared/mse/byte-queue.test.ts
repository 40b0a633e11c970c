import { describe, expect, it } from 'vitest';
import { ByteQueue, indexOfBytes } from '../../../shared/mse/byte-queue.ts';

describe('ByteQueue', () => {
  it('keeps bytes in order across growth and compaction', () => {
    const queue = new ByteQueue();
    const taken: number[] = [];
    let next = 0;
    for (let round = 0; round < 200; round++) {
      queue.push(Uint8Array.from({ length: (round * 37) % 300 }, () => next++ & 0xff));
      taken.push(...queue.take(Math.min(queue.length, (round * 53) % 280)));
    }
    taken.push(...queue.takeAll());
    expect(taken).toEqual(Array.from({ length: next }, (_, i) => i & 0xff));
    expect(queue.length).toBe(0);
  });

  it('peeks without consuming, drops, and refuses to take more than it holds', () => {
    const queue = new ByteQueue();
    queue.push(Uint8Array.of(1, 2, 3, 4));
    expect([...queue.peek()]).toEqual([1, 2, 3, 4]);
    queue.drop(3);
    expect([...queue.peek()]).toEqual([4]);
    expect(() => queue.take(2)).toThrow(RangeError);
  });
});

describe('indexOfBytes', () => {
  it('finds the first occurrence, including at the edges', () => {
    const haystack = Uint8Array.of(5, 1, 2, 1, 2, 3, 9);
    expect(indexOfBytes(haystack, Uint8Array.of(1, 2, 3))).toBe(3);
    expect(indexOfBytes(haystack, Uint8Array.of(5))).toBe(0);
    expect(indexOfBytes(haystack, Uint8Array.of(3, 9))).toBe(5);
    expect(indexOfBytes(haystack, Uint8Array.of(9, 9))).toBe(-1);
    expect(indexOfBytes(Uint8Array.of(1), Uint8Array.of(1, 2))).toBe(-1);
  });
});
