import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';
import { expectInboundRouted, handshake } from './helpers/inbound-routing.ts';

let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
});
afterAll(() => gateway.close());


function dial(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(gateway.peerPort, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

function closedSoon(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.on('close', () => resolve());
    socket.resume();
  });
}

describe('inbound listener', () => {
  it('routes a handshake for a LISTENed info-hash as ACCEPTED + the 68 bytes, then relays', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { peer, accepted } = await expectInboundRouted({
      gateway, client, infoHash: Buffer.alloc(20, 0x42), dial, expectedPort: (socket) => socket.localPort!,
    });
    peer.destroy();
    expect((await client.nextFor(accepted.id)).type).toBe(FrameType.CLOSE);

    client.send({ type: FrameType.UNLISTEN, id: 7 });
    await expect.poll(() => gateway.stats().listens).toBe(0);
    client.close();
  });

  it('closes a connection for an unknown info-hash', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.LISTEN, id: 1, infoHash: Buffer.alloc(20, 1) });
    const peer = await dial();
    const closed = closedSoon(peer);
    peer.write(handshake(Buffer.alloc(20, 2)));
    await closed;
    expect(client.queue.frames.filter((f) => f.type === FrameType.ACCEPTED)).toHaveLength(0);
    client.close();
  });

  it('closes a connection that does not speak BitTorrent', async () => {
    const peer = await dial();
    const closed = closedSoon(peer);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    await closed;
  });

  it('stops routing to a tab that went away', async () => {
    const client = await WsFrameClient.ready(gateway);
    client.send({ type: FrameType.LISTEN, id: 1, infoHash: Buffer.alloc(20, 3) });
    await expect.poll(() => gateway.stats().listens).toBe(1);
    client.close();
    await expect.poll(() => gateway.stats().listens).toBe(0);
  });
});
