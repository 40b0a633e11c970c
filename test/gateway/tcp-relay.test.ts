import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { GATEWAY_STREAM_WINDOW } from '../../gateway/relays/tcp-stream.ts';
import { readBytes, WsFrameClient } from './helpers/frame-client.ts';

let strict: RunningGateway;
let open: RunningGateway;
let echo: Server;
let echoPort: number;
const echoSockets: Socket[] = [];

beforeAll(async () => {
  strict = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
  open = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  echo = createServer((s) => {
    echoSockets.push(s);
    s.pipe(s);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of echoSockets) s.destroy();
  echo.close();
  await strict.close();
  await open.close();
});

describe('TCP relay policy', () => {
  it('refuses a loopback target without --allow-private, with a clear message', async () => {
    const client = await WsFrameClient.ready(strict);
    client.send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: echoPort, window: 65536 });
    const f = await client.nextFor(1);
    expect(f).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS });
    expect((f as { message: string }).message).toBe(
      'refused: 127.0.0.1 is a loopback address; start the gateway with --allow-private to allow it',
    );
    client.close();
  });

  it('refuses a name that resolves to loopback, and low ports', async () => {
    const client = await WsFrameClient.ready(strict);
    client.send({ type: FrameType.TCP_OPEN, id: 1, host: 'localhost', port: echoPort, window: 65536 });
    const f = await client.nextFor(1);
    expect(f).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS });
    expect((f as { message: string }).message).toMatch(/^refused: localhost resolves to .*loopback address/);
    client.send({ type: FrameType.TCP_OPEN, id: 2, host: '1.1.1.1', port: 22, window: 65536 });
    expect(await client.nextFor(2)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS, message: expect.stringContaining('port 22') });
    client.close();
  });

  it("refuses the gateway's own HTTP port even with --allow-private", async () => {
    const client = await WsFrameClient.ready(open);
    client.send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: open.port, window: 65536 });
    expect(await client.nextFor(1)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS });
    client.close();
  });

  it('reports CONNECT_FAILED for a closed port', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const client = await WsFrameClient.ready(open);
    client.send({ type: FrameType.TCP_OPEN, id: 7, host: '127.0.0.1', port, window: 65536 });
    expect(await client.nextFor(7)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.CONNECT_FAILED });
    client.close();
  });
});

describe('TCP relay with --allow-private', () => {
  it('echoes bytes both ways, returns credit, and closes both ways', async () => {
    const client = await WsFrameClient.ready(open);
    client.send({ type: FrameType.TCP_OPEN, id: 1, host: '127.0.0.1', port: echoPort, window: 1 << 20 });
    expect(await client.nextFor(1)).toEqual({ type: FrameType.OPENED, id: 1, window: GATEWAY_STREAM_WINDOW });

    client.send({ type: FrameType.DATA, id: 1, bytes: new TextEncoder().encode('hello through the gateway') });
    expect((await readBytes(client, 1, 25)).toString()).toBe('hello through the gateway');

    // Fill the gateway's window: it must grant credit back as the socket drains.
    const big = Buffer.alloc(GATEWAY_STREAM_WINDOW, 7);
    for (let off = 0; off < big.length; off += 65536) client.send({ type: FrameType.DATA, id: 1, bytes: big.subarray(off, off + 65536) });
    const credit = await client.next((f) => f.id === 1 && f.type === FrameType.CREDIT);
    expect((credit as { bytes: number }).bytes).toBeGreaterThan(0);
    const back = await readBytes(client, 1, big.length - 0);
    expect(back.length).toBeGreaterThanOrEqual(big.length);

    // Remote close → CLOSE frame.
    await expect.poll(() => echoSockets.length).toBeGreaterThan(0);
    echoSockets.at(-1)!.end();
    expect(await client.next((f) => f.id === 1 && f.type === FrameType.CLOSE)).toMatchObject({ type: FrameType.CLOSE });
    await expect.poll(() => open.stats().streams).toBe(0);
    client.close();
  });

  it('CLOSE from the tab closes the remote socket', async () => {
    let remoteEnded = false;
    const server = createServer((s) => {
      s.on('end', () => (remoteEnded = true));
      s.on('close', () => (remoteEnded = true));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = await WsFrameClient.ready(open);
    client.send({ type: FrameType.TCP_OPEN, id: 3, host: '127.0.0.1', port: (server.address() as AddressInfo).port, window: 65536 });
    expect((await client.nextFor(3)).type).toBe(FrameType.OPENED);
    client.send({ type: FrameType.CLOSE, id: 3, reason: 'done' });
    await expect.poll(() => remoteEnded).toBe(true);
    client.close();
    server.close();
  });

  it('closes a stream whose sender ignores the window (CREDIT_OVERRUN)', async () => {
    const client = await WsFrameClient.ready(open);
    // A server that never reads keeps the gateway from granting credit back.
    const stalls: Socket[] = [];
    const server = createServer((s) => {
      stalls.push(s);
      s.pause();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client.send({ type: FrameType.TCP_OPEN, id: 5, host: '127.0.0.1', port: (server.address() as AddressInfo).port, window: 65536 });
    expect((await client.nextFor(5)).type).toBe(FrameType.OPENED);
    // One frame one byte over the whole window the gateway granted.
    client.send({ type: FrameType.DATA, id: 5, bytes: new Uint8Array(GATEWAY_STREAM_WINDOW + 1) });
    const f = await client.next((x) => x.id === 5 && x.type === FrameType.ERROR);
    expect(f).toMatchObject({ code: ErrorCode.CREDIT_OVERRUN });
    await expect.poll(() => stalls[0]?.destroyed || stalls[0]?.readableEnded).toBeTruthy();
    client.close();
    for (const s of stalls) s.destroy();
    server.close();
  });

  it('destroys every socket of a tab that goes away', async () => {
    const client = await WsFrameClient.ready(open);
    for (let id = 1; id <= 5; id++) client.send({ type: FrameType.TCP_OPEN, id, host: '127.0.0.1', port: echoPort, window: 65536 });
    for (let id = 1; id <= 5; id++) expect((await client.nextFor(id)).type).toBe(FrameType.OPENED);
    const before = echoSockets.length;
    client.close();
    await expect.poll(() => echoSockets.slice(before - 5).every((s) => s.destroyed || s.readableEnded)).toBe(true);
    await expect.poll(() => open.stats().streams).toBe(0);
  });

  it('applies the same policy to UTP_OPEN (uTP itself: test/gateway/utp/)', async () => {
    const client = await WsFrameClient.ready(strict);
    client.send({ type: FrameType.UTP_OPEN, id: 9, host: '127.0.0.1', port: echoPort, window: 65536 });
    expect(await client.nextFor(9)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS, message: expect.stringContaining('loopback') });
    client.close();
  });
});
