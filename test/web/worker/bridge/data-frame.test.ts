import { describe, expect, it } from 'vitest';
import { FrameType, encodeFrame } from '../../../../shared/bridge/frames.ts';
import { takeDataFrame } from '../../../../web/worker/bridge/data-frame.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('takeDataFrame', () => {
  it('is byte for byte the DATA frame encodeFrame makes of the joined chunks', () => {
    const queue = [bytes(1, 2, 3), bytes(4), bytes(5, 6, 7, 8)];
    const frame = takeDataFrame(0xfedcba98, queue, 8);
    expect(frame).toEqual(encodeFrame({ type: FrameType.DATA, id: 0xfedcba98, bytes: bytes(1, 2, 3, 4, 5, 6, 7, 8) }));
    expect(queue).toEqual([]);
  });

  it('leaves the rest of a chunk it took part of at the front of the queue', () => {
    const queue = [bytes(1, 2), bytes(3, 4, 5), bytes(6)];
    expect(takeDataFrame(7, queue, 3)).toEqual(encodeFrame({ type: FrameType.DATA, id: 7, bytes: bytes(1, 2, 3) }));
    expect(queue).toEqual([bytes(4, 5), bytes(6)]);
    expect(takeDataFrame(7, queue, 3)).toEqual(encodeFrame({ type: FrameType.DATA, id: 7, bytes: bytes(4, 5, 6) }));
    expect(queue).toEqual([]);
  });

  it('copies: changing a queued chunk afterwards does not change the frame', () => {
    const chunk = bytes(9, 9);
    const frame = takeDataFrame(1, [chunk], 2);
    chunk.fill(0);
    expect([...frame.subarray(5)]).toEqual([9, 9]);
  });
});
