// The real WebRTC link: a Node simple-peer (node-datachannel) as the tab, signaled over
// /signal?link=webrtc, HELLO/WELCOME and a TCP echo over the data channel.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Peer from 'simple-peer';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_VERSION, decodeFrame, encodeFrame, FrameType, MAX_DATA_PAYLOAD_WEBRTC, type Frame } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { FrameQueue } from './helpers/frame-client.ts';
import { openSignalSocket } from './helpers/signal-socket.ts';
import { withWebRtcRetries } from '../support/webrtc-retry.ts';

let gateway: RunningGateway;
let echo: Server;
const echoSockets: Socket[] = [];

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  echo = createServer((s) => {
    echoSockets.push(s);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  for (const s of echoSockets) s.destroy();
  echo.close();
  await gateway.close();
});

type Tab = { ws: WebSocket; peer: Peer; queue: FrameQueue; send: (f: Frame) => void };

const CONNECT_TIMEOUT_MS = 15_000;

/** libdatachannel's offerer fails now and then (test/support/webrtc-retry.ts): negotiate again. */
function connectTab(): Promise<Tab> {
  return withWebRtcRetries(connectTabOnce);
}

/** A Node simple-peer playing the tab: signaled over /signal?link=webrtc, channel open. */
async function connectTabOnce(): Promise<Tab> {
  const ws = await openSignalSocket(gateway, 'webrtc');
  const peer = new Peer({ initiator: true, trickle: true, config: { iceServers: [], bindAddress: '127.0.0.1' } });
  peer.on('signal', (signal: unknown) => ws.send(JSON.stringify({ signal })));
  ws.on('message', (data) => peer.signal((JSON.parse(String(data)) as { signal: unknown }).signal));
  const queue = new FrameQueue();
  peer.on('data', (chunk: Uint8Array) => queue.push(decodeFrame(chunk)));
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => { clearTimeout(timer); peer.destroy(); ws.close(); reject(error); };
    const timer = setTimeout(() => fail(new Error('WebRTC did not connect in time')), CONNECT_TIMEOUT_MS);
    peer.once('connect', () => { clearTimeout(timer); resolve(); });
    peer.once('error', fail);
  });
  const send = (f: Frame) => peer.send(encodeFrame(f));
  return { ws, peer, queue, send };
}

describe('WebRTC link', () => {
  it('signals, says HELLO and relays a TCP echo over the data channel', async () => {
    const { ws, peer, queue, send } = await connectTab();
    send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'test' });
    expect(await queue.next()).toMatchObject({ type: FrameType.WELCOME, maxDataPayload: MAX_DATA_PAYLOAD_WEBRTC, peerPort: gateway.peerPort });

    send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: (echo.address() as AddressInfo).port, window: 1 << 20 });
    expect((await queue.next((f) => f.id === 1)).type).toBe(FrameType.OPENED);

    // 100 KiB out and back: the gateway splits it into DATA frames of at most MAX_DATA_PAYLOAD_WEBRTC.
    const payload = Buffer.alloc(100 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
    for (let off = 0; off < payload.length; off += MAX_DATA_PAYLOAD_WEBRTC) {
      send({ type: FrameType.DATA, id: 1, bytes: payload.subarray(off, off + MAX_DATA_PAYLOAD_WEBRTC) });
    }
    const parts: Buffer[] = [];
    let total = 0;
    while (total < payload.length) {
      const f = await queue.next((x) => x.id === 1 && x.type === FrameType.DATA);
      if (f.type !== FrameType.DATA) continue;
      expect(f.bytes.length).toBeLessThanOrEqual(MAX_DATA_PAYLOAD_WEBRTC);
      parts.push(Buffer.from(f.bytes));
      total += f.bytes.length;
    }
    expect(Buffer.concat(parts).equals(payload)).toBe(true);
    expect(gateway.stats()).toMatchObject({ sessions: 1, streams: 1 });

    // Closing the signaling WebSocket ends the session and its streams.
    ws.close();
    await expect.poll(() => gateway.stats().sessions, { timeout: 5000 }).toBe(0);
    await expect.poll(() => echoSockets.every((s) => s.destroyed || s.readableEnded)).toBe(true);
    peer.destroy();
  }, 30_000);

  it('carries a bulk transfer under credit and link back-pressure', async () => {
    const total = 8 * 1024 * 1024;
    const source = createServer((s) => {
      s.on('error', () => {});
      s.end(Buffer.alloc(total, 0x5a));
    });
    await new Promise<void>((r) => source.listen(0, '127.0.0.1', r));
    const { ws, peer, queue, send } = await connectTab();
    send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'test' });
    expect((await queue.next()).type).toBe(FrameType.WELCOME);
    const window = 1024 * 1024;
    send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: (source.address() as AddressInfo).port, window });
    expect((await queue.next((f) => f.id === 1)).type).toBe(FrameType.OPENED);
    let received = 0;
    let unacked = 0;
    let maxBuffered = 0;
    for (;;) {
      const f = await queue.next((x) => x.id === 1, 10_000);
      if (f.type === FrameType.CLOSE) break;
      if (f.type !== FrameType.DATA) throw new Error(`unexpected ${JSON.stringify(f)}`);
      received += f.bytes.length;
      unacked += f.bytes.length;
      maxBuffered = Math.max(maxBuffered, gateway.stats().bufferedBytes);
      if (unacked >= window / 4) {
        send({ type: FrameType.CREDIT, id: 1, bytes: unacked });
        unacked = 0;
      }
    }
    expect(received).toBe(total);
    expect(maxBuffered).toBeLessThan(3 * 1024 * 1024);
    ws.close();
    peer.destroy();
    source.close();
  }, 30_000);
});
