// A DATA frame built straight from a stream's queued chunks: each byte is copied once, into the
// frame, where joining the chunks into a payload and then encoding the frame copied it twice
// (seeding sends ~16 KiB PIECE blocks, joined into frames of up to 256 KiB).
import { FrameType } from '../../../shared/bridge/frames.ts';

/** The bridge frame header: type u8 | id u32, big-endian (shared/bridge/frames.ts). */
export const FRAME_HEADER_BYTES = 5;

/**
 * Takes exactly `size` bytes from the front of `queue` (chunks, oldest first; a partly taken
 * chunk stays as its rest) into a new DATA frame for stream `id`. The queue must hold `size` bytes.
 */
export function takeDataFrame(id: number, queue: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + size);
  frame[0] = FrameType.DATA;
  new DataView(frame.buffer).setUint32(1, id >>> 0);
  let filled = 0;
  while (filled < size) {
    const chunk = queue[0]!;
    const take = Math.min(chunk.length, size - filled);
    frame.set(take === chunk.length ? chunk : chunk.subarray(0, take), FRAME_HEADER_BYTES + filled);
    filled += take;
    if (take === chunk.length) queue.shift();
    else queue[0] = chunk.subarray(take);
  }
  return frame;
}
