// The gateway relays uTP like TCP: UTP_OPEN → OPENED and credit-controlled DATA both ways; inbound
// uTP peers on the peer port are routed by info-hash (ACCEPTED + the 68-byte handshake).
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType } from '../../../shared/bridge/frames.ts';
import { decodePacket, encodePacket, PacketType } from '../../../shared/utp/packet.ts';
import { startGateway, type RunningGateway } from '../../../gateway/gateway.ts';
import { GATEWAY_STREAM_WINDOW } from '../../../gateway/relays/tcp-stream.ts';
import { UtpEndpoint } from '../../../gateway/utp/utp-endpoint.ts';
import type { UtpStream } from '../../../gateway/utp/utp-stream.ts';
import { readBytes, WsFrameClient } from '../helpers/frame-client.ts';
import { expectInboundRouted, handshake } from '../helpers/inbound-routing.ts';

let gateway: RunningGateway;
let echo: UtpEndpoint;
let peers: UtpEndpoint;
const echoStreams: UtpStream[] = [];

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  echo = await UtpEndpoint.bind('127.0.0.1', 0);
  echo.onAccept = (s) => {
    echoStreams.push(s);
    s.pipe(s);
  };
  peers = await UtpEndpoint.bind('127.0.0.1', 0);
});
afterAll(async () => {
  echo.close();
  peers.close();
  await gateway.close();
});


function dialGateway(): Promise<UtpStream> {
  const stream = peers.connect('127.0.0.1', gateway.peerPort);
  return new Promise((resolve, reject) => {
    stream.once('connect', () => resolve(stream));
    stream.once('error', reject);
  });
}

describe('UTP_OPEN', () => {
  it('opens, echoes with credit flowing back, and closes when the remote closes', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.UTP_OPEN, id: 1, host: '127.0.0.1', port: echo.port, window: 1 << 20 });
    expect(await client.nextFor(1)).toEqual({ type: FrameType.OPENED, id: 1, window: GATEWAY_STREAM_WINDOW });
    client.send({ type: FrameType.DATA, id: 1, bytes: new TextEncoder().encode('hello over uTP') });
    expect((await readBytes(client, 1, 14)).toString()).toBe('hello over uTP');

    const big = Buffer.alloc(GATEWAY_STREAM_WINDOW, 9);
    for (let off = 0; off < big.length; off += 65536) client.send({ type: FrameType.DATA, id: 1, bytes: big.subarray(off, off + 65536) });
    const credit = await client.next((f) => f.id === 1 && f.type === FrameType.CREDIT);
    expect((credit as { bytes: number }).bytes).toBeGreaterThan(0);
    expect((await readBytes(client, 1, big.length)).length).toBeGreaterThanOrEqual(big.length);

    echoStreams.at(-1)!.end();
    expect(await client.next((f) => f.id === 1 && f.type === FrameType.CLOSE)).toMatchObject({ type: FrameType.CLOSE });
    await expect.poll(() => gateway.stats().streams).toBe(0);
    client.close();
  });

  it('keeps the gateway bounded when the tab grants no credit, and catches up when it does', async () => {
    const source = await UtpEndpoint.bind('127.0.0.1', 0);
    const total = 8 << 20;
    source.onAccept = (s) => {
      const chunk = Buffer.alloc(64 * 1024, 3);
      let sent = 0;
      const more = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', more);
        }
        s.end();
      };
      more();
    };
    const client = await WsFrameClient.ready(gateway);
    const window = 64 * 1024;
    client.send({ type: FrameType.UTP_OPEN, id: 2, host: '127.0.0.1', port: source.port, window });
    expect((await client.nextFor(2)).type).toBe(FrameType.OPENED);
    await new Promise((r) => setTimeout(r, 800));
    // Without credit: the window, plus what the paused stream holds (its receive buffer).
    expect(gateway.stats().bufferedBytes).toBeLessThan(window + 512 * 1024);
    let received = (await readBytes(client, 2, window)).length;
    const started = performance.now();
    client.send({ type: FrameType.CREDIT, id: 2, bytes: total });
    while (received < total) {
      const f = await client.nextFor(2);
      if (f.type === FrameType.DATA) received += f.bytes.length;
    }
    console.log(`UTP_OPEN relay to a WebSocket tab: ${(total / ((performance.now() - started) / 1000) / 1e6).toFixed(1)} MB/s`);
    expect(received).toBe(total);
    expect((await client.nextFor(2)).type).toBe(FrameType.CLOSE);
    client.close();
    source.close();
  });

  it('reports CONNECT_FAILED when the peer answers the SYN with RESET', async () => {
    const refuser = createSocket('udp4');
    await new Promise<void>((r) => refuser.bind(0, '127.0.0.1', r));
    refuser.on('message', (msg, remote) => {
      const syn = decodePacket(msg);
      const reset = encodePacket({ ...syn, type: PacketType.RESET, selectiveAck: undefined, payload: new Uint8Array(0) });
      refuser.send(reset, remote.port, remote.address);
    });
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.UTP_OPEN, id: 3, host: '127.0.0.1', port: refuser.address().port, window: 65536 });
    const f = await client.nextFor(3);
    expect(f).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.CONNECT_FAILED });
    expect((f as { message: string }).message).toMatch(/^uTP connect to 127\.0\.0\.1:\d+ failed: uTP the peer refused the connection/);
    client.close();
    refuser.close();
  });

  it('reports TIMEOUT when nothing answers the SYN', { timeout: 20_000 }, async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
    let syns = 0;
    silent.on('message', () => syns++);
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.UTP_OPEN, id: 4, host: '127.0.0.1', port: silent.address().port, window: 65536 });
    const f = await client.nextFor(4, 15_000);
    expect(f).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TIMEOUT, message: expect.stringContaining('timed out after 10 s') });
    expect(syns).toBe(4); // the SYN and three retransmissions with back-off (1, 2, 4 s)
    client.close();
    silent.close();
  });
});

describe('inbound uTP', () => {
  it('routes a handshake for a LISTENed info-hash as ACCEPTED (transport uTP) + the 68 bytes, then relays', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { peer, accepted } = await expectInboundRouted({
      gateway, client, infoHash: Buffer.alloc(20, 0x55), dial: dialGateway, expectedPort: () => peers.port,
    });
    expect(accepted.transport).toBe('utp');
    peer.end();
    expect((await client.next((f) => f.id === accepted.id && f.type !== FrameType.CREDIT)).type).toBe(FrameType.CLOSE);
    client.send({ type: FrameType.UNLISTEN, id: 7 });
    client.close();
  });

  it('resets a peer whose info-hash nobody LISTENs for', async () => {
    const peer = await dialGateway();
    const error = new Promise<NodeJS.ErrnoException>((resolve) => peer.once('error', resolve));
    peer.write(handshake(Buffer.alloc(20, 0x77)));
    expect((await error).code).toBe('ECONNRESET');
  });

  it('resets a peer that does not speak BitTorrent', async () => {
    const peer = await dialGateway();
    const error = new Promise<NodeJS.ErrnoException>((resolve) => peer.once('error', resolve));
    peer.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect((await error).code).toBe('ECONNRESET');
  });
});
