// A tab that stops reading its link but keeps asking for replies (PINGs, frames for streams that do
// not exist) must not grow the gateway: it is closed once its outbound queue passes a fixed size,
// the gateway's RSS stays under a bound, and the next tab is served as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { BRIDGE_VERSION, encodeFrame, FrameType } from '../../../shared/bridge/frames.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { currentRssMB } from '../../helpers/rss.ts';
import { WsFrameClient } from '../helpers/frame-client.ts';
import { openSignalSocket } from '../helpers/signal-socket.ts';

/** Growth of the gateway's RSS over its idle size that the flood may cause at most. */
const RSS_GROWTH_BOUND_MB = 120;
const FLOOD_BYTES = 1500 * 1024 * 1024;
const FLOOD_TIME_MS = 25_000;

let gateway: GatewayProcess;

beforeAll(async () => {
  gateway = await startGatewayProcess();
});
afterAll(() => gateway.stop());

async function welcomed(ws: WebSocket): Promise<void> {
  const welcome = new Promise<void>((resolve) => ws.once('message', () => resolve()));
  ws.send(encodeFrame({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'flood' }));
  await welcome;
}

/** Sends PINGs and DATA for unknown streams, never reading, until the gateway closes us. */
async function flood(ws: WebSocket): Promise<{ sentMB: number; closed: boolean }> {
  const ping = encodeFrame({ type: FrameType.PING, id: 0, bytes: new Uint8Array(60 * 1024) });
  const stray = encodeFrame({ type: FrameType.DATA, id: 4242, bytes: new Uint8Array(16) });
  let sent = 0;
  let closed = false;
  ws.once('close', () => (closed = true));
  const deadline = Date.now() + FLOOD_TIME_MS;
  while (!closed && sent < FLOOD_BYTES && Date.now() < deadline) {
    for (let i = 0; i < 32; i++) {
      ws.send(ping);
      for (let j = 0; j < 8; j++) ws.send(stray);
      sent += ping.byteLength + 8 * stray.byteLength;
    }
    // Our own send queue stays small: the gateway reads everything we send.
    while (!closed && ws.bufferedAmount > 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setImmediate(r));
  }
  return { sentMB: sent / 1e6, closed };
}

describe('a tab that stops reading', () => {
  it('is closed before its replies pile up, and the gateway stays small', async () => {
    const idleMB = currentRssMB(gateway.pid)!;
    let peakMB = idleMB;
    const sampler = setInterval(() => (peakMB = Math.max(peakMB, currentRssMB(gateway.pid) ?? 0)), 100);
    const ws = await openSignalSocket(gateway, 'websocket');
    await welcomed(ws);
    (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stop reading: replies queue up
    const result = await flood(ws);
    clearInterval(sampler);
    ws.terminate();
    console.log(`flood: sent ${result.sentMB.toFixed(0)} MB; gateway RSS idle ${idleMB.toFixed(0)} MB, peak ${peakMB.toFixed(0)} MB`);
    expect(result.closed).toBe(true);
    expect(peakMB - idleMB).toBeLessThan(RSS_GROWTH_BOUND_MB);

    // The gateway carries on for the next tab.
    const next = await WsFrameClient.ready(gateway);
    next.send({ type: FrameType.PING, id: 0, bytes: new Uint8Array([7]) });
    expect((await next.next((f) => f.type === FrameType.PONG)).type).toBe(FrameType.PONG);
    next.close();
  }, 60_000);
});
