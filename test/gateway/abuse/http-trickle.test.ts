// A web server that sends its headers and then one byte every few seconds must not hold an HTTP
// relay open forever (issue 6): the gateway ends the body with ERROR TIMEOUT once the server has
// been silent for the idle limit. Against the real gateway process, idle limit lowered to 1 s
// through GATEWAY_HTTP_IDLE_TIMEOUT (an environment variable, so a gateway without the option
// still starts, and fails this test by keeping the body open).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { WsFrameClient } from '../helpers/frame-client.ts';

const IDLE_LIMIT_S = 1;
const TRICKLE_EVERY_MS = 3000;
/** The idle limit, plus room for a loaded 2-core machine; still before a second trickled byte. */
const VERDICT_WITHIN_MS = IDLE_LIMIT_S * 1000 + 4000;

let gateway: GatewayProcess;
let web: Server;
let base: string;
const trickles = new Set<NodeJS.Timeout>();
const responses = new Set<ServerResponse>();

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true, env: { ...process.env, GATEWAY_HTTP_IDLE_TIMEOUT: String(IDLE_LIMIT_S) } });
  web = createServer((req, res) => {
    responses.add(res);
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write('x');
    const timer = setInterval(() => res.write('x'), TRICKLE_EVERY_MS);
    trickles.add(timer);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const timer of trickles) clearInterval(timer);
  for (const res of responses) res.destroy();
  web?.close();
  await gateway?.stop();
});

describe('HTTP relay against a trickling server', () => {
  it('ends the body with ERROR TIMEOUT once the server is silent for the idle limit', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.HTTP_GET, id: 1, window: 1 << 20, maxBytes: 1 << 20, url: `${base}/slow` });
    expect(await client.nextFor(1)).toMatchObject({ type: FrameType.HTTP_RESPONSE, status: 200 });
    const started = Date.now();
    let verdict: Frame;
    try {
      verdict = await client.next((f) => f.id === 1 && f.type !== FrameType.DATA, VERDICT_WITHIN_MS);
    } catch {
      throw new Error(`the trickling body was still open ${VERDICT_WITHIN_MS} ms after its headers (idle limit ${IDLE_LIMIT_S} s)`);
    }
    const elapsedMs = Date.now() - started;
    console.log(`HTTP trickle: ${JSON.stringify(verdict)} after ${elapsedMs} ms`);
    expect(verdict).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TIMEOUT, message: `HTTP server sent nothing for ${IDLE_LIMIT_S} s` });
    expect(elapsedMs).toBeGreaterThanOrEqual(IDLE_LIMIT_S * 1000 - 100);
    // The gateway let go of the server's connection too.
    await expect.poll(() => [...responses].every((r) => r.destroyed || r.writableEnded), { timeout: 3000 }).toBe(true);
    client.close();
  }, 30_000);
});
