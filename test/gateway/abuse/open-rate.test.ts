// Opening connections through the gateway is rate-limited per tab (a busy swarm's pace, far too
// slow for a port scan), and each tab gets a share of the gateway's stream cap, so one tab cannot
// take them all.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { STREAM_OPENS_BURST, STREAM_OPENS_PER_SECOND } from '../../../gateway/limits.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { WsFrameClient } from '../helpers/frame-client.ts';

const MAX_STREAMS = 40;
/** One gateway with the default caps, one with a small stream cap. */
let gateway: GatewayProcess;
let small: GatewayProcess;
let server: Server;
const held: Socket[] = [];

beforeAll(async () => {
  server = createServer((socket) => held.push(socket.on('error', () => {})));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  [gateway, small] = await Promise.all([startGatewayProcess(), startGatewayProcess({ extraArgs: ['--max-streams', String(MAX_STREAMS)] })]);
});
afterAll(async () => {
  await Promise.all([gateway.stop(), small.stop()]);
  for (const socket of held) socket.destroy();
  server.close();
});

/** Sends `count` TCP_OPENs at once (ids from `firstId`) and sorts the answers. */
async function openMany(client: WsFrameClient, firstId: number, count: number): Promise<{ opened: number; refusals: string[] }> {
  const port = (server.address() as AddressInfo).port;
  for (let i = 0; i < count; i++) client.send({ type: FrameType.TCP_OPEN, id: firstId + i, host: '127.0.0.1', port, window: 65536 });
  let opened = 0;
  const refusals: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer: Frame = await client.next((f) => f.id >= firstId && f.id < firstId + count && (f.type === FrameType.OPENED || f.type === FrameType.ERROR), 10_000);
    if (answer.type === FrameType.OPENED) opened++;
    else if (answer.type === FrameType.ERROR && answer.code === ErrorCode.LIMIT) refusals.push(answer.message);
    else throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  }
  return { opened, refusals };
}

describe('stream opens', () => {
  it('are rate-limited per tab', async () => {
    const client = await WsFrameClient.ready(gateway);
    const started = Date.now();
    const burst = await openMany(client, 1, 150);
    const elapsedS = (Date.now() - started) / 1000;
    console.log(`150 opens at once: ${burst.opened} opened, ${burst.refusals.length} refused in ${elapsedS.toFixed(2)} s`);
    expect(burst.opened).toBeLessThanOrEqual(STREAM_OPENS_BURST + Math.ceil(STREAM_OPENS_PER_SECOND * elapsedS) + 1);
    expect(burst.opened).toBeGreaterThanOrEqual(STREAM_OPENS_BURST);
    expect(burst.refusals.some((m) => /connection attempts/.test(m))).toBe(true);
    // The budget refills: a second later, opens go through again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await openMany(client, 1000, 5)).opened).toBe(5);
    client.close();
  });

  it('give each tab a share of the gateway\'s streams: the first cannot take them all', async () => {
    const first = await WsFrameClient.ready(small);
    const a = await openMany(first, 1, MAX_STREAMS);
    const second = await WsFrameClient.ready(small);
    const b = await openMany(second, 1, MAX_STREAMS);
    console.log(`--max-streams ${MAX_STREAMS}: first tab got ${a.opened}, second tab ${b.opened}`);
    expect(a.opened).toBeLessThan(MAX_STREAMS);
    expect(b.opened).toBeGreaterThan(MAX_STREAMS / 4);
    expect(a.opened + b.opened).toBeLessThanOrEqual(MAX_STREAMS);
    expect(a.refusals.every((m) => /share|too many streams/.test(m))).toBe(true);
    first.close();
    second.close();
  });
});
