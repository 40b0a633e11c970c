// BridgeClient against a scripted gateway over an in-memory FrameLink: the link handshake, streams
// with credit flow control in both directions, link back-pressure, HTTP, inbound streams, failures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_VERSION, ErrorCode, FrameType, GATEWAY_ID_BASE, decodeFrame, encodeFrame, type Frame,
} from '../../../../shared/bridge/frames.ts';
import { BridgeClient } from '../../../../web/worker/bridge/bridge-client.ts';
import type { FrameLink } from '../../../../web/links/frame-link.ts';
import { TransportError, type ByteStream, type InboundPeer } from '../../../../web/worker/transport.ts';

const PEER = { host: '203.0.113.7', port: 6881 };
const LINK_HIGH_WATER_BYTES = 2 * 1024 * 1024; // bridge-client.ts

/** The frames of one type (TCP_OPEN shares its union member with UTP_OPEN, hence not Extract). */
type FrameOf<T extends Frame['type']> = Frame & { type: T };

/** An in-memory link: what the client sends is decoded and handed to a scripted gateway. */
class FakeLink implements FrameLink {
  readonly kind = 'websocket' as const;
  bufferedAmount = 0;
  closed = false;
  readonly sent: Frame[] = [];
  onFrame: (frame: Uint8Array) => void = () => {};
  onDrain: () => void = () => {};
  onClose: (reason?: string) => void = () => {};

  constructor(private readonly gateway: (frame: Frame, link: FakeLink) => void = () => {}) {}

  send(bytes: Uint8Array<ArrayBuffer>): void {
    const frame = decodeFrame(bytes);
    this.sent.push(frame);
    this.gateway(frame, this);
  }

  close(): void {
    this.closed = true;
  }

  /** The gateway sends a frame to the client. */
  deliver(frame: Frame): void {
    this.onFrame(encodeFrame(frame));
  }

  sentOfType<T extends Frame['type']>(type: T, id?: number): FrameOf<T>[] {
    return this.sent.filter((f): f is FrameOf<T> => f.type === type && (id === undefined || f.id === id));
  }

  dataBytes(id: number): number {
    return this.sentOfType(FrameType.DATA, id).reduce((sum, f) => sum + f.bytes.length, 0);
  }

  creditGranted(id: number): number {
    return this.sentOfType(FrameType.CREDIT, id).reduce((sum, f) => sum + f.bytes, 0);
  }
}

/** A gateway that welcomes and opens every stream with `openWindow` bytes of credit. */
function gateway(options: { maxDataPayload?: number; peerPort?: number; openWindow?: number } = {}) {
  return (frame: Frame, link: FakeLink): void => {
    if (frame.type === FrameType.HELLO) {
      link.deliver({ type: FrameType.WELCOME, id: 0, version: 1, maxDataPayload: options.maxDataPayload ?? 1024, peerPort: options.peerPort ?? 0 });
    } else if (frame.type === FrameType.TCP_OPEN) {
      link.deliver({ type: FrameType.OPENED, id: frame.id, window: options.openWindow ?? 4096 });
    }
  };
}

async function openStream(options: Parameters<typeof gateway>[0] = {}, receiveWindow = 8192) {
  const link = new FakeLink(gateway(options));
  const client = new BridgeClient(link, receiveWindow);
  await client.hello();
  const stream = await client.connect('tcp', PEER);
  const id = link.sentOfType(FrameType.TCP_OPEN)[0]!.id;
  return { link, client, stream, id };
}

function recordClose(stream: ByteStream): { closed: boolean; error?: string } {
  const record: { closed: boolean; error?: string } = { closed: false };
  stream.onClose = (error) => { record.closed = true; record.error = error; };
  return record;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('BridgeClient link handshake', () => {
  it('sends HELLO with its version and name (no secret) and takes maxDataPayload and peerPort from WELCOME', async () => {
    const link = new FakeLink(gateway({ maxDataPayload: 2048, peerPort: 51413 }));
    const client = new BridgeClient(link);
    await client.hello();
    expect(link.sent[0]).toEqual({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'tabtorrent-engine' });
    expect(client.maxDataPayload).toBe(2048);
    expect(client.peerPort).toBe(51413);
  });

  it('rejects hello with TransportError UNAUTHORIZED on ERROR for the link, and closes', async () => {
    const link = new FakeLink((frame, l) => {
      if (frame.type === FrameType.HELLO) l.deliver({ type: FrameType.ERROR, id: 0, code: ErrorCode.UNAUTHORIZED, message: 'bad token' });
    });
    const client = new BridgeClient(link);
    const reasons: (string | undefined)[] = [];
    client.onClose = (reason) => reasons.push(reason);
    const error = await client.hello().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(2);
    expect((error as TransportError).message).toBe('bad token');
    expect(reasons).toEqual(['bad token']);
  });
});

describe('BridgeClient streams', () => {
  it('opens with TCP_OPEN carrying its receive window and resolves with the stream on OPENED', async () => {
    const { link, stream, id } = await openStream({}, 12345);
    expect(link.sentOfType(FrameType.TCP_OPEN)[0]).toEqual({ type: FrameType.TCP_OPEN, id, host: PEER.host, port: PEER.port, window: 12345 });
    expect(id).toBeGreaterThan(0);
    expect(id).toBeLessThan(GATEWAY_ID_BASE);
    expect(stream.remote).toEqual(PEER);
    expect(stream.closed).toBe(false);
  });

  it('delivers DATA to onData', async () => {
    const { link, stream, id } = await openStream();
    const received: number[][] = [];
    stream.onData = (bytes) => received.push([...bytes]);
    link.deliver({ type: FrameType.DATA, id, bytes: Uint8Array.of(1, 2, 3) });
    link.deliver({ type: FrameType.DATA, id, bytes: Uint8Array.of(4) });
    expect(received).toEqual([[1, 2, 3], [4]]);
  });

  it('never sends more DATA than the OPENED window until CREDIT arrives', async () => {
    const window = 4096;
    const { link, stream, id } = await openStream({ openWindow: window, maxDataPayload: 1024 });
    const payload = Uint8Array.from({ length: 3 * window }, (_, i) => i & 0xff);
    stream.write(payload);
    await Promise.resolve(); // writes of one tick leave together, on the next microtask
    expect(link.dataBytes(id)).toBe(window);
    expect(stream.bufferedBytes).toBe(2 * window);
    for (const frame of link.sentOfType(FrameType.DATA, id)) expect(frame.bytes.length).toBeLessThanOrEqual(1024);

    link.deliver({ type: FrameType.CREDIT, id, bytes: 1000 });
    expect(link.dataBytes(id)).toBe(window + 1000);
    link.deliver({ type: FrameType.CREDIT, id, bytes: 2 * window });
    expect(link.dataBytes(id)).toBe(3 * window);
    expect(stream.bufferedBytes).toBe(0);

    const sent = new Uint8Array(3 * window);
    let offset = 0;
    for (const frame of link.sentOfType(FrameType.DATA, id)) { sent.set(frame.bytes, offset); offset += frame.bytes.length; }
    expect(sent).toEqual(payload);
  });

  it('sends the writes of one tick as one DATA frame', async () => {
    const { link, stream, id } = await openStream({ openWindow: 65536, maxDataPayload: 16384 });
    for (let i = 0; i < 100; i++) stream.write(Uint8Array.of(i, i, i)); // like a burst of requests
    expect(link.sentOfType(FrameType.DATA, id)).toHaveLength(0);
    await Promise.resolve();
    const frames = link.sentOfType(FrameType.DATA, id);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.bytes.length).toBe(300);
    expect([...frames[0]!.bytes.subarray(297)]).toEqual([99, 99, 99]);
  });

  it('returns CREDIT once about half its window is consumed', async () => {
    const { link, stream, id } = await openStream({}, 8192);
    stream.onData = () => {};
    for (let i = 0; i < 4; i++) link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(1000) });
    expect(link.creditGranted(id)).toBe(0);
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(1000) });
    expect(link.sentOfType(FrameType.CREDIT, id)).toEqual([{ type: FrameType.CREDIT, id, bytes: 5000 }]);
  });

  it('withholds CREDIT while paused and grants what was consumed on resume', async () => {
    const { link, stream, id } = await openStream({}, 8192);
    stream.pause();
    for (let i = 0; i < 6; i++) link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(1000) });
    expect(link.creditGranted(id)).toBe(0);
    stream.resume();
    expect(link.creditGranted(id)).toBe(6000);
  });

  it('answers a gateway that overruns the window with ERROR CREDIT_OVERRUN and closes the stream with an error', async () => {
    const { link, stream, id } = await openStream({}, 8192);
    const close = recordClose(stream);
    const received: Uint8Array[] = [];
    stream.onData = (bytes) => received.push(bytes);
    stream.pause(); // no credit goes back: the gateway still holds only 192 bytes of it
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(8000) });
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(500) });
    const errors = link.sentOfType(FrameType.ERROR, id);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe(ErrorCode.CREDIT_OVERRUN);
    expect(close.closed).toBe(true);
    expect(close.error).toMatch(/beyond a window/);
    expect(stream.closed).toBe(true);
    expect(received).toHaveLength(1); // the overrunning bytes are not delivered
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(10) });
    expect(received).toHaveLength(1); // the stream is forgotten
  });

  it('stops sending DATA while the link is congested and resumes on drain', async () => {
    const { link, stream, id } = await openStream({ openWindow: 1 << 20 });
    link.bufferedAmount = LINK_HIGH_WATER_BYTES + 1;
    stream.write(new Uint8Array(5000));
    expect(link.dataBytes(id)).toBe(0);
    expect(stream.bufferedBytes).toBe(5000);
    link.bufferedAmount = 0;
    link.onDrain();
    expect(link.dataBytes(id)).toBe(5000);
    expect(stream.bufferedBytes).toBe(0);
  });

  it('sends CLOSE when the stream is closed locally and finishes on the gateway CLOSE', async () => {
    const { link, client, stream, id } = await openStream();
    stream.close();
    expect(link.sentOfType(FrameType.CLOSE, id)).toHaveLength(1);
    const second = await client.connect('tcp', PEER);
    const secondId = link.sentOfType(FrameType.TCP_OPEN)[1]!.id;
    expect(secondId).not.toBe(id);
    const close = recordClose(second);
    link.deliver({ type: FrameType.CLOSE, id: secondId, reason: 'remote reset' });
    expect(close).toEqual({ closed: true, error: 'remote reset' });
  });

  it('rejects connect when the gateway answers ERROR on the stream id', async () => {
    const link = new FakeLink((frame, l) => {
      if (frame.type === FrameType.TCP_OPEN) l.deliver({ type: FrameType.ERROR, id: frame.id, code: ErrorCode.REFUSED_ADDRESS, message: 'private address' });
    });
    const client = new BridgeClient(link);
    const error = await client.connect('tcp', PEER).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(ErrorCode.REFUSED_ADDRESS);
  });

  it('rejects connect with TIMEOUT when the gateway does not answer, and tells it to drop the open', async () => {
    vi.useFakeTimers();
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const result = client.connect('tcp', PEER, 500).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(link.sentOfType(FrameType.CLOSE)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(ErrorCode.TIMEOUT);
    const id = link.sentOfType(FrameType.TCP_OPEN)[0]!.id;
    expect(link.sentOfType(FrameType.CLOSE, id)).toEqual([{ type: FrameType.CLOSE, id, reason: 'timeout' }]);
    // A late OPENED for the abandoned id must not resurrect anything.
    link.deliver({ type: FrameType.OPENED, id, window: 100 });
  });
});

describe('BridgeClient HTTP', () => {
  it('collects HTTP_RESPONSE, DATA and CLOSE into {status, body}, crediting each chunk', async () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const result = client.httpGet('http://tracker.example/announce?x=1', { maxBytes: 100 });
    const get = link.sentOfType(FrameType.HTTP_GET)[0]!;
    expect(get.url).toBe('http://tracker.example/announce?x=1');
    expect(get.maxBytes).toBe(100);
    expect(get.range).toBeUndefined();
    link.deliver({ type: FrameType.HTTP_RESPONSE, id: get.id, status: 200, contentLength: 5, window: 0 });
    link.deliver({ type: FrameType.DATA, id: get.id, bytes: Uint8Array.of(104, 101) });
    link.deliver({ type: FrameType.DATA, id: get.id, bytes: Uint8Array.of(108, 108, 111) });
    link.deliver({ type: FrameType.CLOSE, id: get.id, reason: '' });
    const { status, body } = await result;
    expect(status).toBe(200);
    expect(new TextDecoder().decode(body)).toBe('hello');
    expect(link.creditGranted(get.id)).toBe(5);
  });

  it('sends a byte range as the frame\'s range field, the URL untouched', () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    void client.httpGet('http://seed.example/a.bin', { maxBytes: 16, range: { start: 2 ** 33, end: 2 ** 33 + 15 } }).catch(() => {});
    const get = link.sentOfType(FrameType.HTTP_GET)[0]!;
    expect(get).toMatchObject({ url: 'http://seed.example/a.bin', maxBytes: 16, range: { start: 2 ** 33, end: 2 ** 33 + 15 } });
    client.close();
  });

  it('rejects a body over maxBytes with TOO_LARGE and closes the request', async () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const result = client.httpGet('http://tracker.example/a', { maxBytes: 10 }).catch((e: unknown) => e);
    const id = link.sentOfType(FrameType.HTTP_GET)[0]!.id;
    link.deliver({ type: FrameType.HTTP_RESPONSE, id, status: 200, contentLength: -1, window: 0 });
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(8) });
    link.deliver({ type: FrameType.DATA, id, bytes: new Uint8Array(8) });
    const error = await result;
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe(ErrorCode.TOO_LARGE);
    expect(link.sentOfType(FrameType.CLOSE, id)).toHaveLength(1);
  });

  it('rejects at once when the announced content length is over maxBytes', async () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const result = client.httpGet('http://tracker.example/a', { maxBytes: 10 }).catch((e: unknown) => e);
    const id = link.sentOfType(FrameType.HTTP_GET)[0]!.id;
    link.deliver({ type: FrameType.HTTP_RESPONSE, id, status: 200, contentLength: 11, window: 0 });
    expect(((await result) as TransportError).code).toBe(ErrorCode.TOO_LARGE);
  });

  it('rejects with the gateway error code on ERROR', async () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const result = client.httpGet('http://tracker.example/a').catch((e: unknown) => e);
    const id = link.sentOfType(FrameType.HTTP_GET)[0]!.id;
    link.deliver({ type: FrameType.ERROR, id, code: ErrorCode.HTTP_FAILED, message: 'ECONNREFUSED' });
    const error = (await result) as TransportError;
    expect(error.code).toBe(ErrorCode.HTTP_FAILED);
    expect(error.message).toBe('ECONNREFUSED');
  });
});

describe('BridgeClient failures of the link', () => {
  it('closes itself and the link on a malformed frame from the gateway', async () => {
    const { link, client, stream } = await openStream();
    const reasons: (string | undefined)[] = [];
    client.onClose = (reason) => reasons.push(reason);
    const close = recordClose(stream);
    link.onFrame(Uint8Array.of(99, 0, 0, 0, 0)); // unknown frame type
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/malformed frame/);
    expect(link.closed).toBe(true);
    expect(close.closed).toBe(true);
    const error = await client.connect('tcp', PEER).catch((e: unknown) => e);
    expect((error as TransportError).code).toBe(ErrorCode.RESET);
  });

  it('rejects pending requests and closes streams when the link closes', async () => {
    const { link, client, stream } = await openStream();
    const close = recordClose(stream);
    const silent = new FakeLink();
    const other = new BridgeClient(silent);
    const pendingConnect = other.connect('tcp', PEER).catch((e: unknown) => e);
    const pendingHttp = other.httpGet('http://tracker.example/a').catch((e: unknown) => e);
    silent.onClose('network changed');
    expect(((await pendingConnect) as TransportError).code).toBe(ErrorCode.RESET);
    expect(((await pendingHttp) as TransportError).message).toBe('network changed');

    const reasons: (string | undefined)[] = [];
    client.onClose = (reason) => reasons.push(reason);
    link.onClose();
    expect(close.closed).toBe(true);
    expect(close.error).toBe('the gateway link closed');
    expect(reasons).toEqual(['the gateway link closed']);
    expect(stream.write(Uint8Array.of(1))).toBe(false);
  });
});

describe('BridgeClient.whenSent (a closing page waits for its last frames)', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('resolves once the link has nothing buffered, or when the link is gone', async () => {
    vi.useFakeTimers();
    const link = new FakeLink();
    const client = new BridgeClient(link);
    link.bufferedAmount = 300;
    let sent = false;
    void client.whenSent(1_000).then(() => { sent = true; });
    await vi.advanceTimersByTimeAsync(50);
    expect(sent).toBe(false);
    link.bufferedAmount = 0;
    await vi.advanceTimersByTimeAsync(5);
    expect(sent).toBe(true);

    link.bufferedAmount = 300;
    const gone = client.whenSent(1_000);
    link.onClose('the data channel closed');
    await vi.advanceTimersByTimeAsync(5);
    await gone;
  });

  it('gives up after its timeout while frames are still buffered', async () => {
    vi.useFakeTimers();
    const link = new FakeLink();
    const client = new BridgeClient(link);
    link.bufferedAmount = 300;
    let sent = false;
    void client.whenSent(250).then(() => { sent = true; });
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    expect(sent).toBe(true);
  });
});

describe('BridgeClient inbound peers', () => {
  it('sends LISTEN and hands an ACCEPTED stream to the listener, with the transport the gateway named', async () => {
    const link = new FakeLink();
    const client = new BridgeClient(link);
    const infoHash = Uint8Array.from({ length: 20 }, (_, i) => i);
    const accepted: ByteStream[] = [];
    const inbounds: InboundPeer[] = [];
    const unlisten = await client.listen(infoHash, (stream, inbound) => { accepted.push(stream); inbounds.push(inbound); });
    const listen = link.sentOfType(FrameType.LISTEN)[0]!;
    expect([...listen.infoHash]).toEqual([...infoHash]);

    const streamId = GATEWAY_ID_BASE + 1;
    link.deliver({ type: FrameType.ACCEPTED, id: streamId, listenId: listen.id, window: 3000, host: '198.51.100.2', port: 40000, transport: 'utp' });
    expect(accepted).toHaveLength(1);
    expect(inbounds).toEqual([{ transport: 'utp' }]);
    const stream = accepted[0]!;
    expect(stream.remote).toEqual({ host: '198.51.100.2', port: 40000 });
    const received: number[] = [];
    stream.onData = (bytes) => received.push(...bytes);
    link.deliver({ type: FrameType.DATA, id: streamId, bytes: Uint8Array.of(7, 8) });
    expect(received).toEqual([7, 8]);
    stream.write(new Uint8Array(5000));
    await Promise.resolve();
    expect(link.dataBytes(streamId)).toBe(3000); // the window from ACCEPTED

    unlisten();
    expect(link.sentOfType(FrameType.UNLISTEN, listen.id)).toHaveLength(1);
    link.deliver({ type: FrameType.ACCEPTED, id: streamId + 1, listenId: listen.id, window: 3000, host: '198.51.100.3', port: 40001, transport: 'tcp' });
    expect(accepted).toHaveLength(1);
    expect(link.sentOfType(FrameType.CLOSE, streamId + 1)).toEqual([{ type: FrameType.CLOSE, id: streamId + 1, reason: 'not listening' }]);
  });

  it('answers PING with PONG carrying the same bytes', () => {
    const link = new FakeLink();
    new BridgeClient(link);
    link.deliver({ type: FrameType.PING, id: 0, bytes: Uint8Array.of(9, 9, 9) });
    expect(link.sentOfType(FrameType.PONG)).toEqual([{ type: FrameType.PONG, id: 0, bytes: Uint8Array.of(9, 9, 9) }]);
  });
});
