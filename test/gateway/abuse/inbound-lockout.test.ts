// Inbound peers cannot be locked out without a token: a few hundred connections from one address
// that send one byte and stall must not take the pending-handshake slots everyone shares. Against
// the real gateway process; the staller dials from 127.0.0.2, the honest peer from 127.0.0.3.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType } from '../../../shared/bridge/frames.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { WsFrameClient } from '../helpers/frame-client.ts';
import { acceptedFrames, dialPeer, roundTrip } from '../helpers/inbound-peers.ts';
import { handshake, type AcceptedFrame } from '../helpers/inbound-routing.ts';

const STALLERS = 300;
/** "At once": well under any handshake timeout. */
const ROUTED_WITHIN_MS = 2000;

let gateway: GatewayProcess;
const sockets: Socket[] = [];

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await gateway?.stop();
});

describe('inbound handshake slots', () => {
  it(`routes a peer at once while ${STALLERS} connections from one address stall mid-handshake`, async () => {
    const client = await WsFrameClient.ready(gateway);
    const infoHash = Buffer.alloc(20, 0x61);
    client.send({ type: FrameType.LISTEN, id: 3, infoHash });
    await roundTrip(client);

    let closedByGateway = 0;
    const stallers = await Promise.all(Array.from({ length: STALLERS }, () => dialPeer(gateway.peerPort, '127.0.0.2')));
    for (const socket of stallers) {
      sockets.push(socket);
      socket.on('close', () => closedByGateway++);
      socket.write(Buffer.from([19])); // pstrlen, then nothing
    }
    // Let the gateway accept them all and read their byte.
    await new Promise((resolve) => setTimeout(resolve, 500));

    const peer = await dialPeer(gateway.peerPort, '127.0.0.3');
    sockets.push(peer);
    let peerClosed = false;
    peer.on('close', () => (peerClosed = true));
    const startMs = performance.now();
    peer.write(handshake(infoHash));
    const accepted = (await client.next((f) => f.type === FrameType.ACCEPTED, ROUTED_WITHIN_MS).catch((err: Error) => {
      console.log(`the peer from 127.0.0.3 was not routed (${peerClosed ? 'the gateway closed it' : 'still waiting'}); ` +
        `${closedByGateway} of ${STALLERS} stalling connections were closed by the gateway`);
      throw err;
    })) as AcceptedFrame;
    console.log(`the peer from 127.0.0.3 was routed in ${(performance.now() - startMs).toFixed(1)} ms; ` +
      `${closedByGateway} of ${STALLERS} stalling connections from 127.0.0.2 were closed by the gateway`);
    expect(accepted).toMatchObject({ listenId: 3, host: '127.0.0.3', port: peer.localPort });
    expect(acceptedFrames(client)).toEqual([]);
    expect(peerClosed).toBe(false);
  });
});
