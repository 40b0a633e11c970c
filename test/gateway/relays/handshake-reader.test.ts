// The inbound handshake reader: 68 bytes read as they come (one at a time too), anything that is
// not BitTorrent taken for MSE/PE (and closed when it is not that either), and pending handshakes capped per source as well
// as in total, over TCP-like sockets and over real uTP streams from 127.0.0.2 and 127.0.0.3.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHandshakeReader } from '../../../gateway/relays/handshake-reader.ts';
import { InboundRouter } from '../../../gateway/relays/inbound-router.ts';
import type { PeerSocket } from '../../../gateway/relays/tcp-stream.ts';
import { UtpEndpoint } from '../../../gateway/utp/utp-endpoint.ts';
import { handshake } from '../helpers/inbound-routing.ts';

const INFO_HASH = Buffer.alloc(20, 0x42);
const LIMITS = { maxPending: 4, maxPendingPerSource: 2, timeoutMs: 10_000, busySourceTimeoutMs: 3_000 };

/** The net.Socket subset the reader uses, fed by write(). */
class FakeSocket extends PassThrough {
  constructor(readonly remoteAddress: string | undefined, readonly remotePort = 6881) {
    super();
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
}

interface Routed {
  socket: PeerSocket;
  firstBytes: Buffer;
}

function setup(limits = LIMITS): { read: (socket: FakeSocket) => void; routed: Routed[] } {
  const router = new InboundRouter();
  const routed: Routed[] = [];
  router.add(INFO_HASH, {}, 1, (socket, firstBytes) => {
    routed.push({ socket, firstBytes: Buffer.from(firstBytes) });
    return true;
  });
  const reader = createHandshakeReader(router, limits);
  return { read: (socket) => reader(socket as unknown as PeerSocket), routed };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function feed(socket: FakeSocket, bytes: Buffer, chunkBytes = bytes.length): Promise<void> {
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    socket.write(bytes.subarray(i, i + chunkBytes));
    await turn();
  }
}

describe('handshake reader', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a handshake sent one byte at a time and routes it with exactly its 68 bytes', async () => {
    const { read, routed } = setup();
    const socket = new FakeSocket('192.0.2.1');
    read(socket);
    await feed(socket, handshake(INFO_HASH), 1);
    expect(routed).toHaveLength(1);
    expect(routed[0]!.socket).toBe(socket);
    expect(routed[0]!.firstBytes.equals(handshake(INFO_HASH))).toBe(true);
  });

  it('passes on the bytes that came in the same chunk after the handshake', async () => {
    const { read, routed } = setup();
    const socket = new FakeSocket('192.0.2.1');
    read(socket);
    const bytes = Buffer.concat([handshake(INFO_HASH), Buffer.from('bitfield')]);
    await feed(socket, bytes.subarray(0, 60));
    await feed(socket, bytes.subarray(60));
    expect(routed.map((r) => r.firstBytes.toString('latin1'))).toEqual([bytes.toString('latin1')]);
  });

  it('takes a connection that is not the BitTorrent handshake for MSE, and closes it when that fails', async () => {
    // Not the prefix could be an MSE/PE Ya (96 random bytes): garbage is closed once no
    // HASH('req1', S) shows within PadA's 512 bytes (mse-route.test.ts covers the real thing).
    const { read, routed } = setup();
    const http = new FakeSocket('192.0.2.1');
    read(http);
    await feed(http, Buffer.from(`GET / HTTP/1.1\r\n${'X-Filler: 1\r\n'.repeat(50)}\r\n`));
    const late = new FakeSocket('192.0.2.2');
    read(late);
    const wrong = handshake(INFO_HASH);
    wrong[7] = 0x20;
    await feed(late, Buffer.concat([wrong, Buffer.alloc(600, 7)]), 64);
    expect([http.destroyed, late.destroyed]).toEqual([true, true]);
    expect(routed).toEqual([]);
  });

  it('closes a connection for an info-hash nobody LISTENs on', async () => {
    const { read, routed } = setup();
    const socket = new FakeSocket('192.0.2.1');
    read(socket);
    await feed(socket, handshake(Buffer.alloc(20, 0x99)));
    expect(socket.destroyed).toBe(true);
    expect(routed).toEqual([]);
  });

  it('caps pending handshakes per source (::ffff:a.b.c.d is a.b.c.d), not the other sources', async () => {
    const { read, routed } = setup();
    const stallers = ['192.0.2.1', '::ffff:192.0.2.1', '192.0.2.1'].map((address) => new FakeSocket(address));
    for (const socket of stallers) read(socket);
    expect(stallers.map((s) => s.destroyed)).toEqual([false, false, true]);
    const other = new FakeSocket('198.51.100.1');
    read(other);
    await feed(other, handshake(INFO_HASH));
    expect(routed.map((r) => r.socket)).toEqual([other]);
  });

  it('counts IPv6 sources by /64', () => {
    const { read } = setup();
    const sockets = ['2001:db8::1', '2001:db8::2', '2001:db8::3', '2001:db8:0:1::1'].map((address) => new FakeSocket(address));
    for (const socket of sockets) read(socket);
    expect(sockets.map((s) => s.destroyed)).toEqual([false, false, true, false]);
  });

  it('caps pending handshakes in total', () => {
    const { read } = setup();
    const sockets = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5'].map((address) => new FakeSocket(address));
    for (const socket of sockets) read(socket);
    expect(sockets.map((s) => s.destroyed)).toEqual([false, false, false, false, true]);
  });

  it('frees the slot when a handshake is done or its connection closes', async () => {
    const { read, routed } = setup();
    const [done, closed] = [new FakeSocket('192.0.2.1'), new FakeSocket('192.0.2.1')];
    read(done);
    read(closed);
    await feed(done, handshake(INFO_HASH));
    closed.destroy();
    await turn();
    const next = [new FakeSocket('192.0.2.1'), new FakeSocket('192.0.2.1')];
    for (const socket of next) read(socket);
    expect(next.map((s) => s.destroyed)).toEqual([false, false]);
    expect(routed).toHaveLength(1);
  });

  it('gives a source that already has a handshake pending less time for the next one', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { read } = setup();
    const [first, second] = [new FakeSocket('192.0.2.1'), new FakeSocket('192.0.2.1')];
    read(first);
    read(second);
    vi.advanceTimersByTime(LIMITS.busySourceTimeoutMs);
    expect([first.destroyed, second.destroyed]).toEqual([false, true]);
    vi.advanceTimersByTime(LIMITS.timeoutMs - LIMITS.busySourceTimeoutMs);
    expect(first.destroyed).toBe(true);
  });
});

describe('handshake reader over uTP', () => {
  const endpoints: UtpEndpoint[] = [];
  afterEach(() => {
    for (const endpoint of endpoints.splice(0)) endpoint.close();
  });

  it('caps stalled uTP streams from 127.0.0.2 and still routes one from 127.0.0.3', async () => {
    const router = new InboundRouter();
    const routed: PeerSocket[] = [];
    router.add(INFO_HASH, {}, 1, (socket) => routed.push(socket) > 0);
    const gateway = await UtpEndpoint.bind('127.0.0.1', 0);
    gateway.onAccept = createHandshakeReader(router, LIMITS);
    const staller = await UtpEndpoint.bind('127.0.0.2', 0);
    const honest = await UtpEndpoint.bind('127.0.0.3', 0);
    endpoints.push(gateway, staller, honest);

    const stalled = Array.from({ length: 3 }, () => staller.connect('127.0.0.1', gateway.port));
    const closed = stalled.map((stream) => {
      stream.on('error', () => {});
      stream.write(Buffer.from([19]));
      return new Promise<boolean>((resolve) => {
        stream.once('close', () => resolve(true));
        setTimeout(() => resolve(false), 1000);
      });
    });
    expect(await Promise.all(closed)).toEqual([false, false, true]);

    const peer = honest.connect('127.0.0.1', gateway.port);
    peer.write(handshake(INFO_HASH));
    await expect.poll(() => routed.length).toBe(1);
    expect(routed[0]!.remoteAddress).toBe('127.0.0.3');
    for (const stream of [...stalled, peer]) stream.destroy();
  });
});
