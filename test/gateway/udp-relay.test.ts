import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

let gateway: RunningGateway;
let strict: RunningGateway;
let echo: Socket;
let echoPort: number;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  strict = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
  echo = createSocket('udp4');
  echo.on('message', (msg, rinfo) => echo.send(Buffer.concat([Buffer.from('echo:'), msg]), rinfo.port, rinfo.address));
  await new Promise<void>((r) => echo.bind(0, '127.0.0.1', r));
  echoPort = echo.address().port;
});
afterAll(async () => {
  echo.close();
  await gateway.close();
  await strict.close();
});

describe('UDP relay', () => {
  it('binds, sends and receives datagrams', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.UDP_BIND, id: 1 });
    const bound = await client.nextFor(1);
    expect(bound.type).toBe(FrameType.BOUND);
    expect((bound as { port: number }).port).toBeGreaterThan(0);

    client.send({ type: FrameType.UDP_SEND, id: 1, host: '127.0.0.1', port: echoPort, bytes: new TextEncoder().encode('ping') });
    const recv = await client.nextFor(1);
    expect(recv).toMatchObject({ type: FrameType.UDP_RECV, host: '127.0.0.1', port: echoPort });
    expect(Buffer.from((recv as { bytes: Uint8Array }).bytes).toString()).toBe('echo:ping');

    // Hostnames resolve too (then cached).
    client.send({ type: FrameType.UDP_SEND, id: 1, host: 'localhost', port: echoPort, bytes: new TextEncoder().encode('two') });
    expect(Buffer.from(((await client.nextFor(1)) as { bytes: Uint8Array }).bytes).toString()).toBe('echo:two');

    // One socket per tab.
    client.send({ type: FrameType.UDP_BIND, id: 2 });
    expect(await client.nextFor(2)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.LIMIT });
    client.close();
  });

  it('drops datagrams to refused addresses without killing the socket', async () => {
    const client = await WsFrameClient.ready(strict);
    client.send({ type: FrameType.UDP_BIND, id: 1 });
    expect((await client.nextFor(1)).type).toBe(FrameType.BOUND);
    let echoed = 0;
    const counter = (_msg: Buffer) => echoed++;
    echo.on('message', counter);
    client.send({ type: FrameType.UDP_SEND, id: 1, host: '127.0.0.1', port: echoPort, bytes: new Uint8Array([1]) });
    await new Promise((r) => setTimeout(r, 200));
    echo.off('message', counter);
    expect(echoed).toBe(0);
    expect(client.queue.frames).toHaveLength(0);
    client.send({ type: FrameType.PING, id: 0, bytes: new Uint8Array() });
    expect((await client.next()).type).toBe(FrameType.PONG);
    client.close();
  });
});
