// One test body for inbound routing, run over TCP and over uTP: a peer dials the gateway's peer
// port, sends a handshake for a LISTENed info-hash, and must arrive at the tab as ACCEPTED + the
// 68 handshake bytes, then relay both ways.
import type { Duplex } from 'node:stream';
import { expect } from 'vitest';
import { FrameType, GATEWAY_ID_BASE, type Frame } from '../../../shared/bridge/frames.ts';
import type { RunningGateway } from '../../../gateway/gateway.ts';
import { readBytes, type WsFrameClient } from './frame-client.ts';

export type AcceptedFrame = Extract<Frame, { type: typeof FrameType.ACCEPTED }>;

/** A BEP 3 handshake for `infoHash` with a fixed peer id. */
export function handshake(infoHash: Buffer): Buffer {
  return Buffer.concat([Buffer.from('\x13BitTorrent protocol', 'latin1'), Buffer.alloc(8), infoHash, Buffer.from('-XX0001-abcdefghijkl')]);
}

/** LISTENs as id 7, dials, and checks routing and relaying; returns the ACCEPTED frame. */
export async function expectInboundRouted<P extends Duplex>(options: {
  gateway: RunningGateway;
  client: WsFrameClient;
  infoHash: Buffer;
  dial: () => Promise<P>;
  /** The source port the gateway should report for this peer. */
  expectedPort: (peer: P) => number;
}): Promise<{ peer: P; accepted: AcceptedFrame }> {
  const { gateway, client, infoHash } = options;
  client.send({ type: FrameType.LISTEN, id: 7, infoHash });
  await expect.poll(() => gateway.stats().listens).toBe(1);

  const peer = await options.dial();
  const hs = handshake(infoHash);
  peer.write(hs);
  const accepted = (await client.next((f) => f.type === FrameType.ACCEPTED)) as AcceptedFrame;
  expect(accepted.id).toBeGreaterThanOrEqual(GATEWAY_ID_BASE);
  expect(accepted).toMatchObject({ listenId: 7, host: '127.0.0.1', port: options.expectedPort(peer) });
  expect((await readBytes(client, accepted.id, 68)).equals(hs)).toBe(true);

  // Both ways from here on.
  const got = new Promise<Buffer>((resolve) => peer.once('data', resolve));
  client.send({ type: FrameType.DATA, id: accepted.id, bytes: new Uint8Array([1, 2, 3]) });
  expect(Array.from(await got)).toEqual([1, 2, 3]);
  peer.write(Buffer.from('bitfield'));
  expect((await readBytes(client, accepted.id, 8)).toString()).toBe('bitfield');
  return { peer, accepted };
}
