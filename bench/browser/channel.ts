// channel_MBps: the raw Node→Chromium WebRTC data channel with nothing else on it — the ceiling the
// app's WebRTC link can approach. Node side: simple-peer on node-datachannel (the gateway's stack),
// initiator, trickle, bound to 127.0.0.1; it sends `bytes` in 64 KiB messages, keeping the channel's
// bufferedAmount under a high-water mark. The page (page/channel.js) counts and reports back.
import Peer from 'simple-peer';
import type { WebSocket } from 'ws';
import type { BenchServer } from './bench-server.ts';
import { launchChromium } from './chromium.ts';

const MESSAGE_BYTES = 64 * 1024; // as the app's link (MAX_DATA_PAYLOAD_WEBRTC)
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;

export interface ChannelFigures {
  mbps: number;
  seconds: number;
  bytes: number;
  heapMB: number | null;
}

export async function benchChannelOnce(server: BenchServer, bytes: number, id: string, timeoutMs: number): Promise<ChannelFigures> {
  const peers: Peer[] = [];
  server.onSignalSocket = (socket) => peers.push(sendOver(socket, bytes));
  const page = new URL(`${server.origin}/channel.html`);
  page.searchParams.set('signal', `${server.origin.replace(/^http/, 'ws')}/signal`);
  page.searchParams.set('report', server.reportUrl(id));
  page.searchParams.set('bytes', String(bytes));
  const chromium = await launchChromium(page.toString());
  try {
    const report = await server.waitForReport(id, ['channel'], timeoutMs);
    const seconds = Number(report.seconds);
    const got = Number(report.bytes);
    if (got < bytes) throw new Error(`the page counted ${got} bytes, expected ${bytes}`);
    return { mbps: got / seconds / 1e6, seconds, bytes: got, heapMB: typeof report.heapMB === 'number' ? report.heapMB : null };
  } catch (err) {
    throw new Error(`${(err as Error).message}; chromium stderr tail: ${chromium.process.stderr().slice(-800)}`);
  } finally {
    server.onSignalSocket = null;
    for (const peer of peers) peer.destroy();
    await chromium.stop();
  }
}

/** Negotiates over `socket` (JSON signals both ways), then sends `bytes` as fast as back-pressure allows. */
function sendOver(socket: WebSocket, bytes: number): Peer {
  const peer = new Peer({ initiator: true, trickle: true, config: { iceServers: [], bindAddress: '127.0.0.1' } });
  peer.on('signal', (signal: unknown) => socket.send(JSON.stringify(signal)));
  socket.on('message', (data) => peer.signal(JSON.parse(String(data))));
  socket.on('close', () => peer.destroy());
  peer.on('error', () => socket.close());
  peer.on('connect', () => void pump(peer, bytes));
  return peer;
}

async function pump(peer: Peer, bytes: number): Promise<void> {
  const channel = peer._channel;
  if (!channel) return;
  channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
  const message = new Uint8Array(MESSAGE_BYTES).fill(0x5a);
  let sent = 0;
  while (sent < bytes && !peer.destroyed) {
    if (peer.bufferSize >= HIGH_WATER_BYTES) {
      await new Promise<void>((resolve) => channel.addEventListener('bufferedamountlow', () => resolve(), { once: true }));
      continue;
    }
    const size = Math.min(MESSAGE_BYTES, bytes - sent);
    peer.send(size === MESSAGE_BYTES ? message : message.subarray(0, size));
    sent += size;
  }
}
