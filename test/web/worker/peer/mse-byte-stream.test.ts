// The encrypting stream wrapper: RC4 on the wire, plain bytes to its user, and the inner
// stream's flow control (bufferedBytes, write's high-water answer, pause/resume, onDrain) as is.
import { describe, expect, it } from 'vitest';
import { MseInitiator } from '../../../../shared/mse/initiator.ts';
import { MseReceiver, skeyLookup } from '../../../../shared/mse/receiver.ts';
import type { MsePolicy } from '../../../../shared/mse/crypto-methods.ts';
import { runMseHandshake } from '../../../../web/worker/peer/mse-handshake-run.ts';
import type { MseByteStream } from '../../../../web/worker/peer/mse-byte-stream.ts';
import { streamPair } from './stream-pair.ts';

const INFO_HASH = new Uint8Array(20).fill(9);

async function encryptedPair(policy: MsePolicy = 'require-rc4') {
  const [a, b] = streamPair();
  const initiator = new MseInitiator({ policy, infoHash: INFO_HASH });
  const receiver = new MseReceiver({ policy, lookup: skeyLookup([INFO_HASH]) });
  const [left, right] = await Promise.all([
    runMseHandshake(a, initiator, initiator.start(), 5_000),
    runMseHandshake(b, receiver, new Uint8Array(0), 5_000),
  ]);
  return { a, b, left: left.stream, right: right.stream };
}

function collect(stream: MseByteStream): Uint8Array[] {
  const got: Uint8Array[] = [];
  stream.onData = (bytes) => got.push(bytes);
  return got;
}

describe('MseByteStream', () => {
  it('carries bytes both ways encrypted on the wire and plain at the ends, without touching the writer\'s buffer', async () => {
    const { a, left, right } = await encryptedPair();
    const atRight = collect(right);
    const atLeft = collect(left);
    const message = new TextEncoder().encode('\x13BitTorrent protocol and a bit more');
    const kept = message.slice();
    left.write(message);
    right.write(new TextEncoder().encode('pong'));
    await expect.poll(() => atRight.length && atLeft.length).toBeTruthy();
    expect(message).toEqual(kept);
    expect(new TextDecoder().decode(atRight[0])).toBe('\x13BitTorrent protocol and a bit more');
    expect(new TextDecoder().decode(atLeft[0])).toBe('pong');
    const onWire = a.written.at(-1)!;
    expect(onWire).toHaveLength(message.length);
    expect(onWire).not.toEqual(message);
    expect(left.method).toBe('rc4');
  });

  it('passes the inner stream\'s flow control through: bufferedBytes, the high-water answer, pause/resume, drain', async () => {
    const { a, left } = await encryptedPair();
    a.bufferedBytes = 5_000_000;
    a.highWater = 1_000_000;
    expect(left.bufferedBytes).toBe(5_000_000);
    expect(left.write(new Uint8Array(10))).toBe(false);
    let drained = 0;
    left.onDrain = () => drained++;
    a.onDrain();
    expect(drained).toBe(1);
    left.pause();
    expect(a.paused).toBe(true);
    left.resume();
    expect(a.paused).toBe(false);
    let closedWith: string | undefined = 'open';
    left.onClose = (error) => { closedWith = error; };
    left.close('done');
    expect([a.closed, left.closed, closedWith]).toEqual([true, true, 'done']);
  });

  it('holds bytes that arrive before anyone takes onData and delivers them in order after', async () => {
    const { left, right } = await encryptedPair();
    left.write(new Uint8Array([1, 2]));
    left.write(new Uint8Array([3]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const got = collect(right);
    right.write(new Uint8Array(0));
    await expect.poll(() => got.length).toBe(2);
    expect(got.map((bytes) => [...bytes])).toEqual([[1, 2], [3]]);
  });

  it('under prefer on both sides, RC4 is chosen', async () => {
    const { left, right } = await encryptedPair('prefer-rc4');
    expect([left.method, right.method]).toEqual(['rc4', 'rc4']);
  });
});
