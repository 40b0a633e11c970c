// A tab must not be able to make the gateway send packets where the relay policy forbids (issue
// 6): ICE sends STUN connectivity checks to every remote candidate, so the candidates in a tab's
// offer and the ones it trickles pass the same address policy as the relays. Proved on loopback
// only (no private address is ever a real target here): a gateway without --allow-private sends
// no STUN to candidates that name UDP sockets this test binds on 127.0.0.1 and ::1, in several
// spellings; the same offer to a gateway with --allow-private does get STUN checks (the positive
// control: this test can see them). Private ranges are covered on strings in
// test/gateway/links/ice-candidate-policy.test.ts.
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import Peer from 'simple-peer';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.ts';
import { openSignalSocket } from '../helpers/signal-socket.ts';

/** How long a gateway gets to send STUN checks after answering (the control's come within ~1 s). */
const LISTEN_MS = 4000;
const STUN_MAGIC_COOKIE = 0x2112a442;
const STUN_BINDING_REQUEST = 0x0001;

/** A UDP socket standing in for a candidate's address; counts the STUN requests it gets. */
interface Target {
  name: string;
  /** The address as the candidate spells it. */
  spelled: string;
  how: 'sdp' | 'trickle';
  socket: Socket;
  port: number;
  stun: number;
}

const TARGETS: Array<Pick<Target, 'name' | 'spelled' | 'how'> & { bind: string }> = [
  { name: 'offer 127.0.0.1', spelled: '127.0.0.1', how: 'sdp', bind: '127.0.0.1' },
  { name: 'offer ::1', spelled: '::1', how: 'sdp', bind: '::1' },
  { name: 'offer ::ffff:7f00:1', spelled: '::FFFF:7F00:1', how: 'sdp', bind: '127.0.0.1' },
  { name: 'offer 0:0:0:0:0:0:0:1', spelled: '0:0:0:0:0:0:0:1', how: 'sdp', bind: '::1' },
  { name: 'offer localhost', spelled: 'localhost', how: 'sdp', bind: '127.0.0.1' },
  { name: 'trickled 127.0.0.1', spelled: '127.0.0.1', how: 'trickle', bind: '127.0.0.1' },
  { name: 'trickled ::1', spelled: '::1', how: 'trickle', bind: '::1' },
];

/** ICE on every address, IPv6 too: otherwise the ::1 targets could not get a packet anyway. */
const ICE_ARGS = ['--ice-bind', '::'];

let strict: GatewayProcess;
let open: GatewayProcess;
const sockets: Socket[] = [];
const signalSockets: WebSocket[] = [];

beforeAll(async () => {
  [strict, open] = await Promise.all([startGatewayProcess({ allowPrivate: false, extraArgs: ICE_ARGS }), startGatewayProcess({ allowPrivate: true, extraArgs: ICE_ARGS })]);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  for (const ws of signalSockets) ws.terminate();
  await Promise.all([strict?.stop(), open?.stop()]);
});

function isStunBindingRequest(msg: Buffer): boolean {
  return msg.length >= 20 && msg.readUInt16BE(0) === STUN_BINDING_REQUEST && msg.readUInt32BE(4) === STUN_MAGIC_COOKIE;
}

async function bindTargets(): Promise<Target[]> {
  return Promise.all(TARGETS.map(async (t) => {
    const socket = createSocket(t.bind.includes(':') ? 'udp6' : 'udp4');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, t.bind, resolve));
    const target: Target = { name: t.name, spelled: t.spelled, how: t.how, socket, port: (socket.address() as AddressInfo).port, stun: 0 };
    socket.on('message', (msg) => {
      if (isStunBindingRequest(msg)) target.stun++;
    });
    return target;
  }));
}

const candidateLine = (i: number, t: Target) => `candidate:${i + 1} 1 UDP ${2122260223 - i} ${t.spelled} ${t.port} typ host`;

/** A real offer (simple-peer on node-datachannel) with our targets as its only candidates. */
async function hostileOffer(targets: Target[]): Promise<{ offer: { type: string; sdp: string }; trickled: object[] }> {
  const peer = new Peer({ initiator: true, trickle: true, config: { iceServers: [], bindAddress: '127.0.0.1' } });
  const real = await new Promise<{ type: string; sdp: string }>((resolve, reject) => {
    peer.on('signal', (signal: { type?: string; sdp?: string }) => {
      if (signal.type === 'offer' && signal.sdp) resolve({ type: 'offer', sdp: signal.sdp });
    });
    peer.once('error', reject);
  });
  peer.destroy();
  const mid = /^a=mid:(\S+)/m.exec(real.sdp)?.[1] ?? '0';
  const lines = real.sdp.split('\r\n').filter((l) => l !== '' && !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates');
  targets.forEach((t, i) => {
    if (t.how === 'sdp') lines.push(`a=${candidateLine(i, t)}`);
  });
  const trickled = targets.flatMap((t, i) => (t.how === 'trickle' ? [{ type: 'candidate', candidate: { candidate: candidateLine(i, t), sdpMid: mid, sdpMLineIndex: 0 } }] : []));
  return { offer: { type: 'offer', sdp: `${lines.join('\r\n')}\r\n` }, trickled };
}

/** Plays a hostile tab against `gateway`; returns the STUN requests each target got. */
async function stunCounts(gateway: GatewayProcess): Promise<Record<string, number>> {
  const targets = await bindTargets();
  const { offer, trickled } = await hostileOffer(targets);
  const ws = await openSignalSocket(gateway, 'webrtc');
  signalSockets.push(ws);
  const answered = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      if ((JSON.parse(String(data)) as { signal?: { type?: string } }).signal?.type === 'answer') resolve();
    });
  });
  ws.send(JSON.stringify({ signal: offer }));
  for (const signal of trickled) ws.send(JSON.stringify({ signal }));
  await answered; // the gateway took the offer
  await new Promise((resolve) => setTimeout(resolve, LISTEN_MS));
  ws.close();
  return Object.fromEntries(targets.map((t) => [t.name, t.stun]));
}

describe('ICE candidates a tab supplies', () => {
  it('get no STUN check from a gateway without --allow-private, in any spelling, offered or trickled', async () => {
    const counts = await stunCounts(strict);
    console.log(`STUN requests from the gateway without --allow-private: ${JSON.stringify(counts)}`);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  }, 30_000);

  it('do get STUN checks from a gateway with --allow-private (the test can see them)', async () => {
    const counts = await stunCounts(open);
    console.log(`STUN requests from the gateway with --allow-private: ${JSON.stringify(counts)}`);
    // Every IP spelling is checked; a hostname never is (it cannot be judged before a lookup).
    const { 'offer localhost': hostname, ...addresses } = counts;
    for (const [name, stun] of Object.entries(addresses)) expect(stun, name).toBeGreaterThan(0);
    expect(hostname).toBe(0);
  }, 30_000);
});
