// A tab's UDP socket (DHT, UDP trackers) binds the gateway's peer host, as TCP and uTP peers do: on
// a server with several addresses and --peer-host set, datagrams leave from that address (a socket
// on every interface answers from the route's, on loopback 127.0.0.1). The default `::` stays
// dual-stack; 0.0.0.0 reaches IPv4 only.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameType } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

/** A UDP echo server that remembers which address each datagram came from. */
interface Echo {
  port: number;
  senders: string[];
  socket: Socket;
}

async function startEcho(type: 'udp4' | 'udp6', host: string): Promise<Echo> {
  const socket = createSocket(type);
  const echo: Echo = { port: 0, senders: [], socket };
  socket.on('message', (msg, rinfo) => {
    echo.senders.push(rinfo.address);
    socket.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  echo.port = socket.address().port;
  return echo;
}

const echoes: Echo[] = [];
const gateways: RunningGateway[] = [];
let echo4: Echo;
let echo6: Echo;

beforeAll(async () => {
  echo4 = await startEcho('udp4', '127.0.0.1');
  echo6 = await startEcho('udp6', '::1');
  echoes.push(echo4, echo6);
});

afterAll(async () => {
  for (const echo of echoes) echo.socket.close();
  await Promise.all(gateways.map((g) => g.close()));
});

async function gatewayOn(peerHost?: string): Promise<RunningGateway> {
  const gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true, ...(peerHost ? { peerHost } : {}) });
  gateways.push(gateway);
  return gateway;
}

/** Binds the tab's UDP socket, sends "ping" to host:port; resolves with the echo, or null after 1 s. */
async function pingThroughTab(gateway: RunningGateway, host: string, port: number): Promise<string | null> {
  const client = await WsFrameClient.ready(gateway);
  try {
    client.send({ type: FrameType.UDP_BIND, id: 1 });
    expect((await client.nextFor(1)).type).toBe(FrameType.BOUND);
    client.send({ type: FrameType.UDP_SEND, id: 1, host, port, bytes: new TextEncoder().encode('ping') });
    const answer = await client.nextFor(1, 1_000).catch(() => null);
    return answer?.type === FrameType.UDP_RECV ? Buffer.from(answer.bytes).toString() : null;
  } finally {
    client.close();
  }
}

describe('the tab\'s UDP socket and the peer host', () => {
  it('sends from --peer-host 127.0.0.2, not from the route\'s 127.0.0.1', async () => {
    const gateway = await gatewayOn('127.0.0.2');
    expect(await pingThroughTab(gateway, '127.0.0.1', echo4.port)).toBe('ping');
    expect(echo4.senders.at(-1)).toBe('127.0.0.2');
  });

  it('is dual-stack on the default peer host (::): IPv4 and IPv6 destinations both answer', async () => {
    const gateway = await gatewayOn();
    expect(gateway.peerHost).toBe('::');
    expect(await pingThroughTab(gateway, '127.0.0.1', echo4.port)).toBe('ping');
    expect(echo4.senders.at(-1)).toBe('127.0.0.1');
    expect(await pingThroughTab(gateway, '::1', echo6.port)).toBe('ping');
  });

  it('reaches IPv4 only on --peer-host 0.0.0.0 (IPv6 datagrams dropped, the socket lives on)', async () => {
    const gateway = await gatewayOn('0.0.0.0');
    const before = echo6.senders.length;
    expect(await pingThroughTab(gateway, '::1', echo6.port)).toBeNull();
    expect(echo6.senders).toHaveLength(before);
    expect(await pingThroughTab(gateway, '127.0.0.1', echo4.port)).toBe('ping');
  });
});
