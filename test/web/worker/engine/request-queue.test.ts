// RequestQueue: our outstanding requests to one peer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestQueue, blockKey } from '../../../../web/worker/peer/request-queue.ts';

const BLOCK = 16384;
const block = (piece: number, offset = 0, length = BLOCK) => ({ piece, offset, length });

afterEach(() => {
  vi.useRealTimers();
});

describe('RequestQueue', () => {
  it('keys blocks uniquely by piece and offset', () => {
    const keys = new Set<number>();
    for (let piece = 0; piece < 4; piece++) for (let offset = 0; offset < 64 * BLOCK; offset += BLOCK) keys.add(blockKey({ piece, offset }));
    expect(keys.size).toBe(4 * 64);
    expect(blockKey({ piece: 1, offset: 0 })).not.toBe(blockKey({ piece: 0, offset: 65535 * BLOCK }));
  });

  it('adds, finds and removes requests; a removal must match the length', () => {
    const queue = new RequestQueue();
    queue.add(block(1));
    queue.add(block(1, BLOCK, 100));
    expect(queue.size).toBe(2);
    expect(queue.has({ piece: 1, offset: BLOCK })).toBe(true);
    expect(queue.remove(block(1, BLOCK, BLOCK))).toBe(false);
    expect(queue.remove(block(1, BLOCK, 100))).toBe(true);
    expect(queue.remove(block(1, BLOCK, 100))).toBe(false);
    expect(queue.remove(block(2))).toBe(false);
    expect(queue.size).toBe(1);
  });

  it('sizes the pipeline to half a second of the rate, between 4 and 600 requests', () => {
    const queue = new RequestQueue();
    expect(queue.targetDepth(0)).toBe(4);
    expect(queue.targetDepth(16 * 1024)).toBe(4); // a slow peer: 4 s of its rate at most
    expect(queue.targetDepth(2 * 1024 * 1024)).toBe(64); // 1 MiB in flight / 16 KiB
    expect(queue.targetDepth(1024 * 1024 * 1024)).toBe(600);
  });

  it('reports the age of the oldest outstanding request', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const queue = new RequestQueue();
    expect(queue.oldestAgeMs()).toBe(0);
    queue.add(block(0));
    vi.setSystemTime(1_005_000);
    queue.add(block(1));
    expect(queue.oldestAgeMs(1_010_000)).toBe(10_000);
    queue.remove(block(0));
    expect(queue.oldestAgeMs(1_010_000)).toBe(5_000);
  });

  it('clear returns the outstanding blocks as plain refs and empties the queue', () => {
    const queue = new RequestQueue();
    queue.add(block(3));
    queue.add(block(4, BLOCK));
    expect(queue.clear()).toEqual([block(3), block(4, BLOCK)]);
    expect(queue.size).toBe(0);
    expect(queue.list()).toEqual([]);
  });
});
