import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_VERSION, ErrorCode, FrameType, MAX_DATA_PAYLOAD_WEBSOCKET } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
});
afterAll(() => gateway.close());

function upgradeStatus(path: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}${path}`, origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => {});
  });
}

describe('signaling', () => {
  it('refuses the upgrade without a token (401)', async () => {
    expect(await upgradeStatus('/signal?link=websocket')).toBe(401);
  });

  it('refuses the upgrade with a wrong token (401)', async () => {
    expect(await upgradeStatus('/signal?token=nope&link=websocket')).toBe(401);
  });

  it('refuses other paths and unknown links', async () => {
    expect(await upgradeStatus(`/other?token=${gateway.token}`)).toBe(404);
    expect(await upgradeStatus(`/signal?token=${gateway.token}&link=carrier-pigeon`)).toBe(400);
  });

  it('refuses a page from another origin (403) and accepts the gateway\'s own', async () => {
    const path = `/signal?token=${gateway.token}&link=websocket`;
    expect(await upgradeStatus(path, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(path, `http://127.0.0.2:${gateway.port}`)).toBe(403);
    const own = new WebSocket(`ws://127.0.0.1:${gateway.port}${path}`, { origin: `http://127.0.0.1:${gateway.port}` });
    await new Promise<void>((resolve, reject) => { own.on('open', resolve); own.on('error', reject); });
    own.close();
  });

  it('answers a good HELLO with WELCOME (max payload, peer port)', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, token: gateway.token });
    const welcome = await client.next();
    expect(welcome).toMatchObject({ type: FrameType.WELCOME, version: BRIDGE_VERSION, maxDataPayload: MAX_DATA_PAYLOAD_WEBSOCKET, peerPort: gateway.peerPort });
    client.send({ type: FrameType.PING, id: 0, bytes: new Uint8Array([1, 2, 3]) });
    const pong = await client.next();
    expect(pong.type).toBe(FrameType.PONG);
    expect(Array.from((pong as { bytes: Uint8Array }).bytes)).toEqual([1, 2, 3]);
    client.close();
  });

  it('answers a HELLO with a bad token with ERROR UNAUTHORIZED and closes', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, token: 'wrong-token' });
    expect(await client.next()).toMatchObject({ type: FrameType.ERROR, id: 0, code: ErrorCode.UNAUTHORIZED });
    await client.closed();
  });

  it('answers another version with ERROR VERSION', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION + 1, token: gateway.token });
    expect(await client.next()).toMatchObject({ type: FrameType.ERROR, id: 0, code: ErrorCode.VERSION });
    await client.closed();
  });

  it('answers an undecodable frame with ERROR BAD_FRAME and closes', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.sendRaw(new Uint8Array([99, 0, 0, 0, 1, 5]));
    expect(await client.next()).toMatchObject({ type: FrameType.ERROR, id: 0, code: ErrorCode.BAD_FRAME });
    await client.closed();
  });

  it('requires HELLO first', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.UDP_BIND, id: 1 });
    expect(await client.next()).toMatchObject({ type: FrameType.ERROR, id: 0, code: ErrorCode.BAD_FRAME });
    await client.closed();
  });

  it('forgets a session when its tab goes', async () => {
    const client = await WsFrameClient.ready(gateway);
    expect(gateway.stats().sessions).toBeGreaterThanOrEqual(1);
    client.close();
    await client.closed();
    await expect.poll(() => gateway.stats().sessions).toBe(0);
  });
});
