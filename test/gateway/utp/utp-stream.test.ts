// Two of our own uTP endpoints over real UDP sockets on 127.0.0.1: the UtpStream behaves like the
// net.Socket subset the relays use (data, pause/resume with a bounded buffer, end, destroy).
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UtpEndpoint } from '../../../gateway/utp/utp-endpoint.ts';
import { decodePacket } from '../../../shared/utp/packet.ts';
import type { UtpStream } from '../../../gateway/utp/utp-stream.ts';

const endpoints: UtpEndpoint[] = [];
afterEach(() => {
  for (const e of endpoints.splice(0)) e.close();
});

async function pair(options: { receiveBufferBytes?: number } = {}): Promise<{ client: UtpStream; server: UtpStream; serverEndpoint: UtpEndpoint; clientEndpoint: UtpEndpoint }> {
  const serverEndpoint = await UtpEndpoint.bind('127.0.0.1', 0, options);
  const clientEndpoint = await UtpEndpoint.bind('127.0.0.1', 0, options);
  endpoints.push(serverEndpoint, clientEndpoint);
  const accepted = new Promise<UtpStream>((resolve) => (serverEndpoint.onAccept = resolve));
  const client = clientEndpoint.connect('127.0.0.1', serverEndpoint.port);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  return { client, server: await accepted, serverEndpoint, clientEndpoint };
}

function collect(stream: UtpStream): { bytes: () => Buffer; ended: Promise<void> } {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => stream.once('end', resolve));
  return { bytes: () => Buffer.concat(chunks), ended };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('UtpStream over UDP on 127.0.0.1', () => {
  it('connects and carries 8 MiB each way intact, then closes cleanly on both sides', async () => {
    const { client, server, serverEndpoint, clientEndpoint } = await pair();
    expect(server.remoteAddress).toBe('127.0.0.1');
    expect(server.remotePort).toBe(clientEndpoint.port);
    const up = Buffer.from(Array.from({ length: 8 << 20 }, (_, i) => (i * 7 + (i >> 13)) & 0xff));
    const down = Buffer.from(up).reverse();
    const atServer = collect(server);
    const atClient = collect(client);
    const started = performance.now();
    client.end(up);
    server.end(down);
    await Promise.all([atServer.ended, atClient.ended]);
    const seconds = (performance.now() - started) / 1000;
    console.log(`uTP loopback, 8 MiB each way at once: ${((2 * up.length) / seconds / 1e6).toFixed(1)} MB/s total`);
    expect(sha(atServer.bytes())).toBe(sha(up));
    expect(sha(atClient.bytes())).toBe(sha(down));
    await expect.poll(() => client.closed && server.closed).toBe(true);
    await expect.poll(() => clientEndpoint.connectionCount + serverEndpoint.connectionCount, { timeout: 8000 }).toBe(0);
    expect(clientEndpoint.counters.malformed + serverEndpoint.counters.malformed).toBe(0);
  });

  it('one-way bulk transfer: 32 MiB client → server', async () => {
    const { client, server } = await pair();
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    const total = 32 << 20;
    let received = 0;
    server.on('data', (c: Buffer) => (received += c.length));
    const done = new Promise<void>((resolve) => server.once('end', resolve));
    const started = performance.now();
    for (let sent = 0; sent < total; sent += chunk.length) {
      if (!client.write(chunk)) await new Promise((r) => client.once('drain', r));
    }
    client.end();
    await done;
    const seconds = (performance.now() - started) / 1000;
    console.log(`uTP loopback, 32 MiB one way: ${(total / seconds / 1e6).toFixed(1)} MB/s`);
    expect(received).toBe(total);
  });

  it('a paused reader stops the sender: memory stays bounded by the advertised window', async () => {
    const receiveBufferBytes = 128 * 1024;
    const { client, server, clientEndpoint } = await pair({ receiveBufferBytes });
    server.pause();
    const chunk = Buffer.alloc(16 * 1024, 1);
    let writes = 0;
    // Write until the client's buffers push back; the receiver must not hold more than its window.
    while (client.write(chunk) && writes < 1000) writes++;
    await new Promise((r) => setTimeout(r, 500));
    const serverUnread = (server as unknown as { unreadBytes: number }).unreadBytes + server.readableLength;
    expect(serverUnread).toBeLessThanOrEqual(receiveBufferBytes + 64 * 1024 + 1400);
    expect(writes).toBeLessThan(1000);
    expect(clientEndpoint.connectionCount).toBe(1);
    let received = 0;
    server.on('data', (c: Buffer) => (received += c.length));
    server.resume();
    client.end();
    await new Promise((r) => server.once('end', r));
    expect(received).toBe((writes + 1) * chunk.length);
  });

  it('destroy() without end() resets the peer (ECONNRESET)', async () => {
    const { client, server, serverEndpoint } = await pair();
    const error = new Promise<NodeJS.ErrnoException>((resolve) => server.once('error', resolve));
    client.destroy();
    expect((await error).code).toBe('ECONNRESET');
    await expect.poll(() => serverEndpoint.connectionCount).toBe(0);
  });

  it('refuses a SYN when nobody accepts, and answers strangers with RESET', async () => {
    const silent = await UtpEndpoint.bind('127.0.0.1', 0);
    const clientEndpoint = await UtpEndpoint.bind('127.0.0.1', 0);
    endpoints.push(silent, clientEndpoint);
    const client = clientEndpoint.connect('127.0.0.1', silent.port);
    await new Promise((r) => setTimeout(r, 200));
    expect(silent.counters.synDropped).toBe(1);
    client.destroy();
  });

  it('rate-limits inbound SYNs (a flood is dropped)', async () => {
    const server = await UtpEndpoint.bind('127.0.0.1', 0, { inboundSynPerSecond: 5 });
    const clientEndpoint = await UtpEndpoint.bind('127.0.0.1', 0);
    endpoints.push(server, clientEndpoint);
    const accepted: UtpStream[] = [];
    server.onAccept = (s) => accepted.push(s);
    const clients = Array.from({ length: 40 }, () => clientEndpoint.connect('127.0.0.1', server.port));
    for (const c of clients) c.on('error', () => {});
    await new Promise((r) => setTimeout(r, 300));
    expect(accepted.length).toBeLessThanOrEqual(10);
    expect(server.counters.synDropped).toBeGreaterThanOrEqual(30);
    for (const c of clients) c.destroy();
  });

  it('a new connection to a peer gets ids no connection it still knows uses, even when the random pick collides', async () => {
    const remote = createSocket('udp4');
    await new Promise<void>((resolve) => remote.bind(0, '127.0.0.1', resolve));
    const synIds: number[] = [];
    remote.on('message', (message) => synIds.push(decodePacket(message).connectionId));
    const clientEndpoint = await UtpEndpoint.bind('127.0.0.1', 0);
    endpoints.push(clientEndpoint);
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    try {
      for (let i = 0; i < 3; i++) clientEndpoint.connect('127.0.0.1', remote.address().port).on('error', () => {});
    } finally {
      random.mockRestore();
    }
    await vi.waitFor(() => expect(synIds.length).toBeGreaterThanOrEqual(3));
    remote.close();
    // each SYN's id R also implies R + 1: the three pairs are disjoint
    const used = synIds.slice(0, 3).flatMap((id) => [id, (id + 1) & 0xffff]);
    expect(new Set(used).size).toBe(6);
  });

  it('caps the number of connections', async () => {
    const server = await UtpEndpoint.bind('127.0.0.1', 0, { maxConnections: 3 });
    endpoints.push(server);
    server.onAccept = () => {};
    const clientEndpoint = await UtpEndpoint.bind('127.0.0.1', 0, { maxConnections: 2 });
    endpoints.push(clientEndpoint);
    clientEndpoint.connect('127.0.0.1', server.port).on('error', () => {});
    clientEndpoint.connect('127.0.0.1', server.port).on('error', () => {});
    expect(() => clientEndpoint.connect('127.0.0.1', server.port)).toThrow(/too many uTP connections \(limit 2\)/);
  });
});
