// Tabs share the inbound port: several tabs LISTENing on one info-hash share its inbound peers
// (two people on one gateway downloading the same torrent is normal), a tab cannot remove or take
// another tab's registration by naming its listen id, and tens of thousands of LISTENs do not
// stall the gateway for the other tabs. Against the real gateway process.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { MAX_LISTENS_PER_SESSION } from '../../../gateway/limits.ts';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { WsFrameClient } from '../helpers/frame-client.ts';
import { acceptedFrames, dialPeer, roundTrip } from '../helpers/inbound-peers.ts';
import { handshake } from '../helpers/inbound-routing.ts';

/** A PING slower than this means the event loop stalled (the old linear scans: 34 s for 21,000 LISTENs). */
const STALL_LIMIT_MS = 2000;
const FLOOD_LISTENS = 21_000;

let gateway: GatewayProcess;
const peers: Socket[] = [];
const clients: WsFrameClient[] = [];

beforeAll(async () => {
  gateway = await startGatewayProcess({ allowPrivate: true });
});
afterAll(async () => {
  for (const peer of peers) peer.destroy();
  for (const client of clients) client.close();
  await gateway?.stop();
});

async function tab(): Promise<WsFrameClient> {
  const client = await WsFrameClient.ready(gateway);
  clients.push(client);
  return client;
}

/** Sends LISTEN and waits until the gateway has handled it. */
async function listen(client: WsFrameClient, id: number, infoHash: Buffer): Promise<void> {
  client.send({ type: FrameType.LISTEN, id, infoHash });
  await roundTrip(client);
}

async function unlisten(client: WsFrameClient, id: number): Promise<void> {
  client.send({ type: FrameType.UNLISTEN, id });
  await roundTrip(client);
}

/** Dials one inbound peer for `infoHash` and waits until some tab of `tabs` got it. */
async function inboundPeer(infoHash: Buffer, tabs: WsFrameClient[]): Promise<void> {
  const before = tabs.reduce((n, t) => n + acceptedFrames(t).length, 0);
  const peer = await dialPeer(gateway.peerPort);
  peers.push(peer);
  peer.write(handshake(infoHash));
  await expect.poll(() => tabs.reduce((n, t) => n + acceptedFrames(t).length, 0), { timeout: 5000 }).toBe(before + 1);
}

function floodHash(tabIndex: number, listenId: number): Buffer {
  const hash = Buffer.alloc(20, 0xab);
  hash.writeUInt32BE(tabIndex, 0);
  hash.writeUInt32BE(listenId, 4);
  return hash;
}

/** Each tab sends MAX_LISTENS_PER_SESSION frames; this process yields between tabs, so its own probe is not held up. */
async function sendEach(tabs: WsFrameClient[], frame: (tabIndex: number, listenId: number) => Frame): Promise<void> {
  for (const [t, client] of tabs.entries()) {
    for (let id = 1; id <= MAX_LISTENS_PER_SESSION; id++) client.send(frame(t, id));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('LISTEN sharing between tabs', () => {
  it('shares the inbound peers of one info-hash between the tabs that LISTEN on it', async () => {
    const [a, b] = [await tab(), await tab()];
    const infoHash = Buffer.alloc(20, 0x51);
    await listen(a, 1, infoHash);
    await listen(b, 2, infoHash);
    for (let i = 0; i < 6; i++) await inboundPeer(infoHash, [a, b]);
    console.log(`6 inbound peers for one info-hash: tab A got ${acceptedFrames(a).length}, tab B got ${acceptedFrames(b).length}`);
    expect(acceptedFrames(a).length).toBeGreaterThanOrEqual(2);
    expect(acceptedFrames(b).length).toBeGreaterThanOrEqual(2);
    expect(acceptedFrames(a).every((f) => f.listenId === 1)).toBe(true);
    expect(acceptedFrames(b).every((f) => f.listenId === 2)).toBe(true);
  });

  it("does not let a tab remove or take another tab's registration by its listen id", async () => {
    const [a, b] = [await tab(), await tab()];
    const infoHash = Buffer.alloc(20, 0x52);
    const count = () => [acceptedFrames(a).length, acceptedFrames(b).length];
    await listen(a, 5, infoHash);

    await unlisten(b, 5);
    await inboundPeer(infoHash, [a, b]);
    expect(count(), "after B's UNLISTEN 5, A still gets the peer").toEqual([1, 0]);

    await listen(b, 5, Buffer.alloc(20, 0x53));
    await inboundPeer(infoHash, [a, b]);
    expect(count(), "after B's LISTEN 5 on another info-hash, A still gets the peer").toEqual([2, 0]);

    await listen(b, 5, infoHash);
    await inboundPeer(infoHash, [a, b]);
    await inboundPeer(infoHash, [a, b]);
    console.log(`after B's LISTEN 5 on A's info-hash, 2 peers: A got ${count()[0]! - 2}, B got ${count()[1]}`);
    expect(count(), "after B's LISTEN 5 on A's info-hash, the two share").toEqual([3, 1]);

    await unlisten(b, 5);
    await inboundPeer(infoHash, [a, b]);
    expect(count(), "after B's UNLISTEN 5, A's registration is still there").toEqual([4, 1]);
  });

  it(`handles ${FLOOD_LISTENS} LISTENs and their UNLISTENs without stalling another tab`, async () => {
    const probe = await tab();
    const tabCount = Math.ceil(FLOOD_LISTENS / MAX_LISTENS_PER_SESSION);
    const floods = await Promise.all(Array.from({ length: tabCount }, () => tab()));
    const latenciesMs: number[] = [];
    let probing = true;
    const probeLoop = (async () => {
      while (probing) {
        latenciesMs.push(await roundTrip(probe, STALL_LIMIT_MS));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const startMs = performance.now();
    await sendEach(floods, (t, id) => ({ type: FrameType.LISTEN, id, infoHash: floodHash(t, id) }));
    // The probe failing (a stall) ends the wait at once.
    await Promise.race([Promise.all(floods.map((client) => roundTrip(client, 60_000))), probeLoop]);
    const listenMs = performance.now() - startMs;

    // The registrations work: a peer for one of them reaches its tab.
    await inboundPeer(floodHash(7, 500), floods);
    expect(acceptedFrames(floods[7]!).map((f) => f.listenId)).toEqual([500]);

    await sendEach(floods, (_t, id) => ({ type: FrameType.UNLISTEN, id }));
    await Promise.race([Promise.all(floods.map((client) => roundTrip(client, 60_000))), probeLoop]);
    probing = false;
    await probeLoop;
    console.log(
      `${tabCount * MAX_LISTENS_PER_SESSION} LISTENs from ${tabCount} tabs in ${listenMs.toFixed(0)} ms; ` +
        `another tab's PING → PONG: ${latenciesMs.length} round trips, slowest ${Math.max(...latenciesMs).toFixed(1)} ms`,
    );
    for (const client of floods) expect(client.queue.frames.filter((f) => f.type === FrameType.ERROR)).toEqual([]);
    expect(Math.max(...latenciesMs)).toBeLessThan(STALL_LIMIT_MS);
  });
});
