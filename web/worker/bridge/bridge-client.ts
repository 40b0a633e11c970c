import {
  BRIDGE_VERSION, DEFAULT_STREAM_WINDOW, ErrorCode, FrameType, decodeFrame, encodeFrame, type Frame,
} from '../../../shared/bridge/frames.ts';
import { pollUntil, type FrameLink } from '../../links/frame-link.ts';
import {
  TransportError, type ByteStream, type DatagramSocket, type HttpGetOptions, type HttpResult, type InboundPeer, type PeerAddress, type StreamKind,
  type Transport,
} from '../transport.ts';
import { BridgeStream, type StreamHost } from './bridge-stream.ts';
import { HttpCollector } from './http-collector.ts';
import { BridgeDatagramSocket } from './bridge-datagram.ts';

const LINK_HIGH_WATER_BYTES = 2 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_HTTP_TIMEOUT_MS = 20_000;
const DEFAULT_HTTP_MAX_BYTES = 4 * 1024 * 1024;
const HELLO_TIMEOUT_MS = 10_000;
/** What HELLO tells the gateway about us (its logs may show it). */
const BRIDGE_CLIENT_NAME = 'tabtorrent-engine';
const MAX_TAB_ID = 0x7fffffff;

interface Pending {
  resolve: (value: Frame) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The engine's Transport over one bridge link: it multiplexes streams, HTTP requests, a UDP
 * socket and inbound listens onto frames, with per-stream credit and link back-pressure.
 */
export class BridgeClient implements Transport, StreamHost {
  maxDataPayload = 16 * 1024;
  /** The gateway's inbound BitTorrent port (what we announce), 0 if it has none. */
  peerPort = 0;
  onClose: (reason?: string) => void = () => {};
  /** Bytes of frames sent and received, for the status view. */
  readonly totals = { sentBytes: 0, receivedBytes: 0 };
  private nextId = 1;
  private closed = false;
  private readonly streams = new Map<number, BridgeStream>();
  private readonly pending = new Map<number, Pending>();
  private readonly http = new Map<number, HttpCollector>();
  private readonly udp = new Map<number, BridgeDatagramSocket>();
  private readonly listeners = new Map<number, (stream: ByteStream, inbound: InboundPeer) => void>();
  private welcome?: { resolve: () => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> };

  constructor(private readonly link: FrameLink, readonly receiveWindow = DEFAULT_STREAM_WINDOW) {
    link.onFrame = (bytes) => this.onFrame(bytes);
    link.onDrain = () => this.flushAll();
    link.onClose = (reason) => this.shutdown(reason ?? 'the gateway link closed');
  }

  get linkKind(): FrameLink['kind'] {
    return this.link.kind;
  }

  /** Sends HELLO and waits for WELCOME (the link was authorised when it opened). */
  hello(client = BRIDGE_CLIENT_NAME): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new TransportError('the gateway did not answer HELLO', ErrorCode.TIMEOUT)), HELLO_TIMEOUT_MS);
      this.welcome = { resolve, reject, timer };
      this.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client });
    });
  }

  connect(kind: StreamKind, address: PeerAddress, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<ByteStream> {
    const id = this.allocateId();
    const type = kind === 'utp' ? FrameType.UTP_OPEN : FrameType.TCP_OPEN;
    return this.request(id, timeoutMs, { type, id, host: address.host, port: address.port, window: this.receiveWindow })
      .then((frame) => {
        if (frame.type !== FrameType.OPENED) throw new TransportError('unexpected answer to OPEN', ErrorCode.BAD_FRAME);
        const stream = new BridgeStream(id, address, this, frame.window, this.receiveWindow);
        this.streams.set(id, stream);
        return stream;
      });
  }

  httpGet(url: string, options: HttpGetOptions = {}): Promise<HttpResult> {
    const id = this.allocateId();
    const maxBytes = options.maxBytes ?? DEFAULT_HTTP_MAX_BYTES;
    const collector = new HttpCollector(maxBytes);
    this.http.set(id, collector);
    const timer = setTimeout(() => this.failHttp(id, new TransportError(`HTTP request timed out: ${url}`, ErrorCode.TIMEOUT)),
      options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS);
    collector.done.finally(() => { clearTimeout(timer); this.http.delete(id); }).catch(() => {});
    this.send({ type: FrameType.HTTP_GET, id, window: this.receiveWindow, maxBytes, url, range: options.range });
    return collector.done;
  }

  bindUdp(): Promise<DatagramSocket> {
    const id = this.allocateId();
    return this.request(id, DEFAULT_CONNECT_TIMEOUT_MS, { type: FrameType.UDP_BIND, id }).then((frame) => {
      if (frame.type !== FrameType.BOUND) throw new TransportError('unexpected answer to UDP_BIND', ErrorCode.BAD_FRAME);
      const socket = new BridgeDatagramSocket(id, frame.port, this, () => this.udp.delete(id));
      this.udp.set(id, socket);
      return socket;
    });
  }

  async listen(infoHash: Uint8Array, onPeer: (stream: ByteStream, inbound: InboundPeer) => void): Promise<() => void> {
    const id = this.allocateId();
    this.listeners.set(id, onPeer);
    this.send({ type: FrameType.LISTEN, id, infoHash });
    return () => {
      if (this.listeners.delete(id)) this.send({ type: FrameType.UNLISTEN, id });
    };
  }

  close(): void {
    this.link.close();
    this.shutdown('closed');
  }

  /**
   * Resolves once every frame sent so far has left this side of the link (its bufferedAmount is
   * 0), the link is gone, or timeoutMs has passed. A closing page waits for this (page-hide).
   */
  whenSent(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve) => pollUntil(() => {
      const done = this.closed || this.link.bufferedAmount === 0 || Date.now() >= deadline;
      if (done) resolve();
      return done;
    }, 1));
  }

  // ---- StreamHost ----
  linkWritable(): boolean {
    return !this.closed && this.link.bufferedAmount < LINK_HIGH_WATER_BYTES;
  }
  sendFrame(frame: Uint8Array<ArrayBuffer>): void {
    if (this.closed) return;
    this.totals.sentBytes += frame.length;
    this.link.send(frame);
  }
  sendCredit(id: number, bytes: number): void {
    this.send({ type: FrameType.CREDIT, id, bytes });
  }
  sendClose(id: number): void {
    this.send({ type: FrameType.CLOSE, id, reason: '' });
  }
  forget(id: number): void {
    this.streams.delete(id);
  }

  /** Sends one frame; used by datagram sockets too. */
  send(frame: Frame): void {
    if (this.closed) return;
    const bytes = encodeFrame(frame);
    this.totals.sentBytes += bytes.length;
    this.link.send(bytes);
  }

  private allocateId(): number {
    const id = this.nextId;
    this.nextId = this.nextId >= MAX_TAB_ID ? 1 : this.nextId + 1;
    return id;
  }

  private request(id: number, timeoutMs: number, frame: Frame): Promise<Frame> {
    if (this.closed) return Promise.reject(new TransportError('the gateway link is closed', ErrorCode.RESET));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.send({ type: FrameType.CLOSE, id, reason: 'timeout' });
        reject(new TransportError(`no answer from the gateway within ${timeoutMs} ms`, ErrorCode.TIMEOUT));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send(frame);
    });
  }

  private onFrame(bytes: Uint8Array): void {
    this.totals.receivedBytes += bytes.length;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      this.shutdown(`the gateway sent a malformed frame: ${(error as Error).message}`);
      this.link.close();
      return;
    }
    this.dispatch(frame);
  }

  private dispatch(frame: Frame): void {
    switch (frame.type) {
      case FrameType.WELCOME: this.peerPort = frame.peerPort; return this.onWelcome(frame.maxDataPayload);
      case FrameType.OPENED:
      case FrameType.BOUND: return this.settle(frame.id, frame);
      case FrameType.ERROR: return this.onError(frame.id, frame.code, frame.message);
      case FrameType.DATA: return this.onData(frame.id, frame.bytes);
      case FrameType.CREDIT: return this.streams.get(frame.id)?.addCredit(frame.bytes);
      case FrameType.CLOSE: return this.onRemoteClose(frame.id, frame.reason);
      case FrameType.HTTP_RESPONSE: return this.onHttpResponse(frame.id, frame.status, frame.contentLength);
      case FrameType.UDP_RECV: return this.udp.get(frame.id)?.receive(frame.host, frame.port, frame.bytes.slice());
      case FrameType.ACCEPTED: return this.onAccepted(frame);
      case FrameType.PING: return this.send({ type: FrameType.PONG, id: 0, bytes: frame.bytes });
      case FrameType.PONG: return;
      default: return; // frames a gateway should never send are ignored
    }
  }

  private onHttpResponse(id: number, status: number, contentLength: number): void {
    const collector = this.http.get(id);
    if (!collector) return;
    collector.start(status, contentLength);
    if (collector.failed) this.send({ type: FrameType.CLOSE, id, reason: 'too large' });
  }

  private onWelcome(maxDataPayload: number): void {
    this.maxDataPayload = Math.max(1024, Math.min(maxDataPayload, 256 * 1024));
    const welcome = this.welcome;
    this.welcome = undefined;
    if (welcome) { clearTimeout(welcome.timer); welcome.resolve(); }
  }

  private settle(id: number, frame: Frame): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(frame);
  }

  private onError(id: number, code: number, message: string): void {
    const error = new TransportError(message, code);
    if (id === 0) {
      if (this.welcome) { clearTimeout(this.welcome.timer); this.welcome.reject(error); this.welcome = undefined; }
      return this.shutdown(message);
    }
    const pending = this.pending.get(id);
    if (pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      return pending.reject(error);
    }
    if (this.http.has(id)) return this.failHttp(id, error);
    this.streams.get(id)?.finish(message);
  }

  private onData(id: number, bytes: Uint8Array): void {
    const stream = this.streams.get(id);
    if (stream) {
      try {
        stream.deliver(bytes);
      } catch (error) {
        this.send({ type: FrameType.ERROR, id, code: ErrorCode.CREDIT_OVERRUN, message: (error as Error).message });
        stream.finish((error as Error).message);
      }
      return;
    }
    const collector = this.http.get(id);
    if (!collector) return;
    try {
      collector.append(bytes);
      this.sendCredit(id, bytes.length);
    } catch (error) {
      this.send({ type: FrameType.CLOSE, id, reason: 'too large' });
      this.failHttp(id, error as Error);
    }
  }

  private onRemoteClose(id: number, reason: string): void {
    const collector = this.http.get(id);
    if (collector) return collector.finish();
    this.streams.get(id)?.finish(reason || undefined);
    this.udp.get(id)?.closeLocally();
  }

  private onAccepted({ id, listenId, window, host, port, transport, mseSecret }: Extract<Frame, { type: typeof FrameType.ACCEPTED }>): void {
    const onPeer = this.listeners.get(listenId);
    if (!onPeer) return this.send({ type: FrameType.CLOSE, id, reason: 'not listening' });
    // An accepted stream starts with the default window on our side (the gateway assumes it).
    const stream = new BridgeStream(id, { host, port }, this, window, DEFAULT_STREAM_WINDOW);
    this.streams.set(id, stream);
    onPeer(stream, mseSecret ? { transport, mse: { secret: mseSecret.slice() } } : { transport });
  }

  private failHttp(id: number, error: Error): void {
    const collector = this.http.get(id);
    if (!collector) return;
    this.http.delete(id);
    collector.fail(error);
  }

  private flushAll(): void {
    for (const stream of this.streams.values()) {
      if (!this.linkWritable()) return;
      stream.flush();
    }
  }

  private shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    const error = new TransportError(reason, ErrorCode.RESET);
    for (const pending of this.pending.values()) { clearTimeout(pending.timer); pending.reject(error); }
    this.pending.clear();
    for (const collector of this.http.values()) collector.fail(error);
    this.http.clear();
    for (const stream of [...this.streams.values()]) stream.finish(reason);
    for (const socket of [...this.udp.values()]) socket.closeLocally();
    this.listeners.clear();
    if (this.welcome) { clearTimeout(this.welcome.timer); this.welcome.reject(error); this.welcome = undefined; }
    this.onClose(reason);
  }
}
