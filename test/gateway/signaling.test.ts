import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_VERSION, ErrorCode, FrameType, MAX_DATA_PAYLOAD_WEBSOCKET } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';
import { AUTH_COOKIE } from '../../gateway/auth.ts';
import { tokenSubprotocols } from '../../shared/bridge/auth.ts';
import { headerOf, rawRequest, statusOf } from './abuse/support/raw-http.ts';

let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
});
afterAll(() => gateway.close());

interface UpgradeAttempt {
  protocols?: string[];
  headers?: Record<string, string>;
  origin?: string;
}

function upgradeStatus(path: string, attempt: UpgradeAttempt = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { headers: attempt.headers, ...(attempt.origin === undefined ? {} : { origin: attempt.origin }) };
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}${path}`, attempt.protocols ?? [], options);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', (error) => reject(error));
  });
}

const withToken = (): UpgradeAttempt => ({ protocols: tokenSubprotocols(gateway.token) });

describe('signaling', () => {
  it('refuses the upgrade without a credential (401)', async () => {
    expect(await upgradeStatus('/signal?link=websocket')).toBe(401);
  });

  it('refuses a wrong token in the subprotocol, the Authorization header or the cookie (401)', async () => {
    expect(await upgradeStatus('/signal?link=websocket', { protocols: tokenSubprotocols('wrong-token-wrong-token') })).toBe(401);
    expect(await upgradeStatus('/signal?link=websocket', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).toBe(401);
    expect(await upgradeStatus('/signal?link=websocket', { headers: { cookie: `${AUTH_COOKIE}=0123abcd` } })).toBe(401);
  });

  it('takes the token in the subprotocol or as a bearer token, never in the URL', async () => {
    expect(await upgradeStatus('/signal?link=websocket', withToken())).toBe(101);
    expect(await upgradeStatus('/signal?link=websocket', { headers: { authorization: `Bearer ${gateway.token}` } })).toBe(101);
    expect(await upgradeStatus(`/signal?token=${gateway.token}&link=websocket`)).toBe(401);
  });

  it('takes the cookie the first visit with ?token= sets, and redirects to the bare URL', async () => {
    const visit = await rawRequest(gateway.port, `GET /?token=${gateway.token}&link=websocket HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(statusOf(visit)).toBe(303);
    expect(headerOf(visit, 'location')).toBe('/?link=websocket');
    const cookie = headerOf(visit, 'set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; behind TLS it is Secure
    expect(cookie).not.toContain(gateway.token);
    const pair = cookie.split(';')[0]!;
    expect(await upgradeStatus('/signal?link=websocket', { headers: { cookie: pair } })).toBe(101);
    const config = await rawRequest(gateway.port, `GET /config.json HTTP/1.1\r\nHost: x\r\nCookie: ${pair}\r\nConnection: close\r\n\r\n`);
    expect(config.text).toContain('"authorised":true');
    const behindTls = await rawRequest(gateway.port, `GET /?token=${gateway.token} HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n`);
    expect(headerOf(behindTls, 'set-cookie')).toMatch(/; Secure/);
  });

  it('refuses other paths and unknown links', async () => {
    expect(await upgradeStatus('/other', withToken())).toBe(404);
    expect(await upgradeStatus('/signal?link=carrier-pigeon', withToken())).toBe(400);
  });

  it('refuses a page from another origin (403) and accepts the gateway\'s own', async () => {
    const path = '/signal?link=websocket';
    expect(await upgradeStatus(path, { ...withToken(), origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(path, { ...withToken(), origin: `http://127.0.0.2:${gateway.port}` })).toBe(403);
    expect(await upgradeStatus(path, { ...withToken(), origin: `http://127.0.0.1:${gateway.port}` })).toBe(101);
  });

  it('answers a good HELLO with WELCOME (max payload, peer port)', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'test' });
    const welcome = await client.next();
    expect(welcome).toMatchObject({ type: FrameType.WELCOME, version: BRIDGE_VERSION, maxDataPayload: MAX_DATA_PAYLOAD_WEBSOCKET, peerPort: gateway.peerPort });
    client.send({ type: FrameType.PING, id: 0, bytes: new Uint8Array([1, 2, 3]) });
    const pong = await client.next();
    expect(pong.type).toBe(FrameType.PONG);
    expect(Array.from((pong as { bytes: Uint8Array }).bytes)).toEqual([1, 2, 3]);
    client.close();
  });

  it('answers another version with ERROR VERSION', async () => {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION + 1, client: 'test' });
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
