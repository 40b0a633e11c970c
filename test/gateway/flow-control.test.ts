// Flow control must hold end to end: a remote peer that writes endlessly to a tab that grants
// no more credit is paused at the gateway, and its own writes back up.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

const TAB_WINDOW = 256 * 1024;
let gateway: RunningGateway;
let firehose: Server;
let remote: Socket | null = null;
let writeReturnedFalse = false;
let stopped = false;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  const chunk = Buffer.alloc(64 * 1024, 0xab);
  firehose = createServer((socket) => {
    remote = socket;
    socket.on('error', () => {});
    // Write endlessly, ignoring back-pressure on purpose, but only while the buffer is modest so
    // the test itself does not eat memory: writableLength shows the pile-up.
    const pump = () => {
      if (stopped || socket.destroyed) return;
      for (let i = 0; i < 4 && socket.writableLength < 8 * 1024 * 1024; i++) {
        if (!socket.write(chunk)) writeReturnedFalse = true;
      }
      setTimeout(pump, 5);
    };
    pump();
  });
  await new Promise<void>((r) => firehose.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  stopped = true;
  remote?.destroy();
  firehose.close();
  await gateway.close();
});

describe('flow control', () => {
  it('keeps gateway memory bounded when the tab grants no credit', async () => {
    const client = await WsFrameClient.ready(gateway);
    let received = 0;
    client.ws.on('message', () => {}); // the client reads everything the gateway sends
    client.send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: (firehose.address() as AddressInfo).port, window: TAB_WINDOW });
    expect((await client.nextFor(1)).type).toBe(FrameType.OPENED);

    const samples: number[] = [];
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 250));
      samples.push(gateway.stats().bufferedBytes);
    }
    for (const f of client.queue.frames.splice(0)) if (f.type === FrameType.DATA) received += f.bytes.length;

    // The tab got exactly its window, not a byte more.
    expect(received).toBe(TAB_WINDOW);
    // The gateway holds a bounded amount (a chunk or two plus socket buffers), not growing.
    const max = Math.max(...samples);
    expect(max).toBeLessThan(512 * 1024);
    expect(samples.at(-1)!).toBeLessThanOrEqual(samples[4]! + 64 * 1024);
    // The remote writer feels back-pressure.
    expect(writeReturnedFalse).toBe(true);
    expect(remote!.writableLength).toBeGreaterThan(1024 * 1024);

    // Credit resumes the flow.
    client.send({ type: FrameType.CREDIT, id: 1, bytes: TAB_WINDOW });
    let more = 0;
    while (more < TAB_WINDOW) {
      const f = await client.nextFor(1);
      if (f.type === FrameType.DATA) more += f.bytes.length;
    }
    expect(more).toBe(TAB_WINDOW);
    client.close();
  });

  it('stops reading sockets while the link to the tab is congested', async () => {
    const client = await WsFrameClient.ready(gateway);
    const before = remote;
    client.send({ type: FrameType.TCP_OPEN, id: 2, host: '127.0.0.1', port: (firehose.address() as AddressInfo).port, window: 0xffffffff });
    expect((await client.nextFor(2)).type).toBe(FrameType.OPENED);
    await expect.poll(() => remote !== before).toBe(true);
    // The tab stops reading its WebSocket: only the link's high-water mark holds the gateway back.
    (client.ws as unknown as { _socket: Socket })._socket.pause();
    const samples: number[] = [];
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 250));
      samples.push(gateway.stats().bufferedBytes);
    }
    // High-water mark (4 MiB) plus at most a frame or two and socket buffers.
    expect(Math.max(...samples)).toBeLessThan(5 * 1024 * 1024);
    expect(samples.at(-1)!).toBeLessThanOrEqual(samples[3]! + 256 * 1024);
    expect(remote!.writableLength).toBeGreaterThan(1024 * 1024);
    client.ws.terminate();
  });
});
