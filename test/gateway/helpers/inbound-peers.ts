// Inbound peers and tabs for the gateway abuse tests: dial the peer port from a chosen loopback
// source address (Linux routes all of 127.0.0.0/8 to lo), count the ACCEPTED frames a tab got,
// and PING round trips (a tab's frames are handled in order: the PONG says the ones before it were).
import { connect, type Socket } from 'node:net';
import { FrameType } from '../../../shared/bridge/frames.ts';
import type { WsFrameClient } from './frame-client.ts';
import type { AcceptedFrame } from './inbound-routing.ts';

export function dialPeer(peerPort: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port: peerPort, host: '127.0.0.1', localAddress }, () => {
      socket.off('error', reject);
      socket.on('error', () => {}); // the gateway may close it; the test looks at 'close'
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** ACCEPTED frames queued for `client` (left in the queue). */
export function acceptedFrames(client: WsFrameClient): AcceptedFrame[] {
  return client.queue.frames.filter((f): f is AcceptedFrame => f.type === FrameType.ACCEPTED);
}

let pingCounter = 0;

/** PING → PONG; resolves with the round trip in ms. */
export async function roundTrip(client: WsFrameClient, timeoutMs = 5000): Promise<number> {
  const token = Buffer.alloc(4);
  token.writeUInt32BE(++pingCounter);
  const startMs = performance.now();
  client.send({ type: FrameType.PING, id: 0, bytes: token });
  await client.next((f) => f.type === FrameType.PONG && Buffer.from(f.bytes).equals(token), timeoutMs);
  return performance.now() - startMs;
}
