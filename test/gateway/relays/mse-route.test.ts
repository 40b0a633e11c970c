// Inbound MSE/PE at the gateway, over real loopback TCP: the gateway answers Ya, finds req1 and
// routes by HASH('req2', SKEY) to the tab that LISTENs for that torrent, handing it S and the
// bytes after the SKEY hash; the tab (here the test) finishes the handshake from those alone.
// Unknown torrents, PadA over 512 bytes and handshakes that stall are closed.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandshakeReader } from '../../../gateway/relays/handshake-reader.ts';
import { InboundRouter, type InboundMse } from '../../../gateway/relays/inbound-router.ts';
import type { PeerSocket } from '../../../gateway/relays/tcp-stream.ts';
import { MseInitiator } from '../../../shared/mse/initiator.ts';
import { MseReceiver } from '../../../shared/mse/receiver.ts';
import type { MseResult } from '../../../shared/mse/handshake.ts';
import { req2Hash } from '../../../shared/mse/keys.ts';

const TORRENT_A = new Uint8Array(20).fill(0xa1);
const TORRENT_B = new Uint8Array(20).fill(0xb2);
const LIMITS = { maxPending: 8, maxPendingPerSource: 4, timeoutMs: 400, busySourceTimeoutMs: 400 };

interface Routed { owner: string; socket: PeerSocket; firstBytes: Uint8Array; mse?: InboundMse }

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.close();
  server = undefined;
});

async function gateway(): Promise<{ port: number; routed: Routed[]; router: InboundRouter }> {
  const router = new InboundRouter();
  const routed: Routed[] = [];
  for (const [owner, infoHash] of [['tab-a', TORRENT_A], ['tab-b', TORRENT_B]] as const) {
    router.add(infoHash, { owner }, 1, (socket, firstBytes, mse) => {
      routed.push({ owner, socket, firstBytes: firstBytes.slice(), mse });
      return true;
    });
  }
  const reader = createHandshakeReader(router, LIMITS);
  server = createServer((socket) => { sockets.push(socket); reader(socket); });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, routed, router };
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

const closedSoon = (socket: Socket) => new Promise<void>((resolve) => {
  if (socket.destroyed || socket.readableEnded) return resolve();
  socket.once('close', () => resolve());
});

/** An initiator over a socket: resolves with its result once the (split) receiver answers. */
function initiate(socket: Socket, infoHash: Uint8Array): Promise<MseResult> {
  const initiator = new MseInitiator({ policy: 'require-rc4', infoHash });
  return new Promise((resolve, reject) => {
    socket.on('data', (chunk) => {
      try {
        const step = initiator.push(chunk);
        if (step.send.length > 0) socket.write(step.send);
        if (step.result) resolve(step.result);
      } catch (error) { reject(error); }
    });
    socket.on('close', () => reject(new Error('closed')));
    socket.write(initiator.start());
  });
}

describe('MSE/PE routing at the gateway', () => {
  it('routes by SKEY to the right tab, which finishes the handshake from S and the bytes after it', async () => {
    const { port, routed } = await gateway();
    const peer = await dial(port);
    const done = initiate(peer, TORRENT_B);
    await expect.poll(() => routed.length).toBe(1);
    const { owner, socket, firstBytes, mse } = routed[0]!;
    expect(owner).toBe('tab-b');
    expect(mse?.secret).toHaveLength(96);

    // The tab's part: resume the receiver; the gateway did no RC4 (its bytes are still encrypted).
    const receiver = new MseReceiver({ policy: 'require-rc4', resume: { secret: mse!.secret, infoHash: TORRENT_B } });
    let tabResult: MseResult | undefined;
    const take = (bytes: Uint8Array) => {
      const step = receiver.push(bytes);
      if (step.send.length > 0) socket.write(step.send);
      tabResult ??= step.result;
    };
    take(firstBytes);
    socket.on('data', (chunk: Buffer) => { if (!tabResult) take(chunk); });
    socket.resume();

    const peerResult = await done;
    await expect.poll(() => tabResult).toBeDefined();
    expect(peerResult.stream.method).toBe('rc4');
    // One payload each way through the keys both derived.
    const toTab = new Promise<string>((resolve) => socket.on('data', (chunk: Buffer) => resolve(Buffer.from(tabResult!.stream.decrypt(chunk)).toString())));
    peer.write(peerResult.stream.encrypt(Buffer.from('hello tab')));
    expect(await toTab).toBe('hello tab');
  });

  it('closes a peer whose SKEY names no torrent a tab listens for', async () => {
    const { port, routed } = await gateway();
    const stranger = await dial(port);
    await expect(initiate(stranger, new Uint8Array(20).fill(0xcc))).rejects.toThrow('closed');
    expect(routed).toEqual([]);
  });

  it('keeps the req2 index with the registrations: a torrent nobody listens for any more is gone from it', () => {
    const router = new InboundRouter();
    const [tab, other] = [{}, {}];
    router.add(TORRENT_A, tab, 1, () => true);
    router.add(TORRENT_A, other, 1, () => true);
    expect(router.infoHashForReq2(req2Hash(TORRENT_A))).toEqual(TORRENT_A);
    router.remove(tab, 1);
    expect(router.infoHashForReq2(req2Hash(TORRENT_A))).toEqual(TORRENT_A);
    router.removeOwner(other);
    expect(router.infoHashForReq2(req2Hash(TORRENT_A))).toBeUndefined();
  });

  it('closes a peer whose req1 does not come within PadA\'s 512 bytes', async () => {
    const { port, routed } = await gateway();
    const peer = await dial(port);
    const initiator = new MseInitiator({ policy: 'require-rc4', infoHash: TORRENT_A });
    peer.write(initiator.start().subarray(0, 96)); // Ya, then more PadA than the spec allows
    peer.write(new Uint8Array(600));
    await closedSoon(peer);
    expect(routed).toEqual([]);
  });

  it('closes a handshake that stalls (slow loris) at the slot deadline', async () => {
    const { port, routed } = await gateway();
    const peer = await dial(port);
    peer.write(new Uint8Array(50).fill(1)); // half a Ya, then nothing
    await closedSoon(peer);
    expect(routed).toEqual([]);
  });
});
