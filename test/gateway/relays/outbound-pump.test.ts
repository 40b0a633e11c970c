// OutboundPump: chunks read in one turn leave as one DATA frame, a full payload leaves at once,
// credit still bounds what is sent, the source is paused only once a frame's payload waits, and
// nothing goes out after stop().
import { describe, expect, it } from 'vitest';
import { FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { OutboundPump, type PausableSource } from '../../../gateway/relays/outbound-pump.ts';
import type { StreamHost } from '../../../gateway/relays/stream-host.ts';

const MAX_PAYLOAD = 1000;

function setup(credit: number) {
  const sent: Frame[] = [];
  const host: StreamHost = { send: (frame) => sent.push(frame), congested: () => false, maxDataPayload: MAX_PAYLOAD, forget: () => {} };
  let paused = false;
  const source: PausableSource = { pause: () => (paused = true), resume: () => (paused = false), isPaused: () => paused };
  const pump = new OutboundPump(host, 7, credit);
  pump.attach(source);
  const payloads = () => sent.map((frame) => (frame.type === FrameType.DATA ? [...frame.bytes] : null));
  return { pump, payloads, isPaused: () => paused };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const bytes = (length: number, value: number) => new Uint8Array(length).fill(value);

describe('OutboundPump', () => {
  it('sends the chunks of one turn as one frame, after the turn', async () => {
    const { pump, payloads, isPaused } = setup(10_000);
    pump.push(bytes(3, 1));
    pump.push(bytes(2, 2));
    expect(payloads()).toEqual([]);
    expect(isPaused()).toBe(false); // reading on while less than a frame waits
    await nextTurn();
    expect(payloads()).toEqual([[1, 1, 1, 2, 2]]);
  });

  it('sends at once when a frame is full, and the rest after the turn', async () => {
    const { pump, payloads } = setup(10_000);
    pump.push(bytes(600, 1));
    pump.push(bytes(600, 2));
    expect(payloads().map((p) => p!.length)).toEqual([MAX_PAYLOAD]);
    await nextTurn();
    expect(payloads().map((p) => p!.length)).toEqual([MAX_PAYLOAD, 200]);
    expect(payloads()[1]).toEqual([...bytes(200, 2)]);
  });

  it('sends no more than the credit and pauses the source until credit comes', async () => {
    const { pump, payloads, isPaused } = setup(4);
    pump.push(bytes(6, 1));
    await nextTurn();
    expect(payloads()).toEqual([[1, 1, 1, 1]]);
    expect(isPaused()).toBe(true);
    pump.addCredit(10);
    expect(payloads()).toEqual([[1, 1, 1, 1], [1, 1]]);
    expect(isPaused()).toBe(false);
  });

  it('sends nothing after stop, not even a flush already scheduled', async () => {
    const { pump, payloads } = setup(10_000);
    pump.push(bytes(5, 1));
    pump.stop();
    await nextTurn();
    pump.addCredit(10);
    expect(payloads()).toEqual([]);
    expect(pump.buffered).toBe(0);
  });

  it('sends what is pending before running the end callback', () => {
    const { pump, payloads } = setup(10_000);
    pump.push(bytes(5, 1));
    const order: string[] = [];
    pump.end(() => order.push(`end after ${payloads().length} frame`));
    expect(order).toEqual(['end after 1 frame']);
  });
});
