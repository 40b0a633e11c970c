// One Session per tab: the HELLO exchange, then frame dispatch to the relays. The session owns
// every socket it opened; when its link goes, all of them go.
import { timingSafeEqual, createHash } from 'node:crypto';
import {
  BRIDGE_VERSION,
  DEFAULT_STREAM_WINDOW,
  decodeFrame,
  encodeFrame,
  ErrorCode,
  FrameType,
  GATEWAY_ID_BASE,
  LINK_ID,
  type Frame,
} from '../shared/bridge/frames.ts';
import { unmapAddress } from './address-class.ts';
import type { FrameLink } from './links/frame-link.ts';
import { HELLO_TIMEOUT_MS, MAX_LISTENS_PER_SESSION, MAX_STREAMS_PER_SESSION, openRefusal, type StreamCounter } from './limits.ts';
import type { Policy } from './policy.ts';
import { HttpGet } from './relays/http-get.ts';
import type { InboundRouter } from './relays/inbound-listener.ts';
import type { RelayStream, StreamHost } from './relays/stream-host.ts';
import { TcpOpen } from './relays/tcp-open.ts';
import { GATEWAY_STREAM_WINDOW, TcpStream, type PeerSocket } from './relays/tcp-stream.ts';
import { UdpRelay } from './relays/udp-relay.ts';
import { UtpOpen } from './relays/utp-open.ts';
import type { UtpEndpoint } from './utp/utp-endpoint.ts';

export interface SessionContext {
  token: string;
  policy: Policy;
  router: InboundRouter;
  streams: StreamCounter;
  udpFamily: 4 | 6;
  /** The inbound BitTorrent port, announced in WELCOME (the tab tells trackers). */
  peerPort: number;
  /** The uTP endpoint (BEP 29) on the peer port; without it UTP_OPEN is refused. */
  utp?: UtpEndpoint;
}

const DRAIN_POLL_MS = 200;

/** Constant-time token comparison (hashes first, so lengths never leak through timing). */
export function tokensEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export class Session implements StreamHost {
  private state: 'hello' | 'ready' | 'closed' = 'hello';
  private readonly streams = new Map<number, RelayStream>();
  private readonly listens = new Set<number>();
  private udp: UdpRelay | null = null;
  private nextGatewayId = GATEWAY_ID_BASE;
  private helloTimer: NodeJS.Timeout;
  private drainPoll: NodeJS.Timeout | null = null;

  constructor(private readonly link: FrameLink, private readonly ctx: SessionContext, private readonly onEnd: (s: Session) => void) {
    link.onFrame = (bytes) => this.onFrame(bytes);
    link.onDrain = () => this.drained();
    link.onClose = (reason) => this.end(reason);
    this.helloTimer = setTimeout(() => this.fatal(ErrorCode.TIMEOUT, 'no HELLO in time'), HELLO_TIMEOUT_MS);
  }

  get maxDataPayload(): number {
    return this.link.maxDataPayload;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get linkKind(): string {
    return this.link.kind;
  }

  bufferedBytes(): number {
    let n = this.link.bufferedAmount;
    for (const s of this.streams.values()) n += s.bufferedBytes();
    return n;
  }

  // --- StreamHost ---

  send(frame: Frame): void {
    if (this.state === 'closed') return;
    this.link.send(encodeFrame(frame));
    if (this.drainPoll === null && this.congested()) {
      // bufferedamountlow/send callbacks wake us; the poll is a safety net.
      this.drainPoll = setInterval(() => {
        if (!this.congested()) this.drained();
      }, DRAIN_POLL_MS);
    }
  }

  congested(): boolean {
    return this.link.bufferedAmount > this.link.highWaterMark;
  }

  forget(id: number): void {
    if (this.streams.delete(id)) this.ctx.streams.open--;
  }

  // --- lifecycle ---

  /** Ends the session: every socket it owns is destroyed. */
  end(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    if (this.drainPoll) clearInterval(this.drainPoll);
    for (const stream of this.streams.values()) stream.destroy();
    this.ctx.streams.open -= this.streams.size;
    this.streams.clear();
    this.udp?.close();
    this.ctx.router.removeOwner(this);
    this.link.close(reason);
    this.onEnd(this);
  }

  private fatal(code: number, message: string): void {
    if (this.state === 'closed') return;
    this.send({ type: FrameType.ERROR, id: LINK_ID, code, message });
    this.end(message);
  }

  private drained(): void {
    if (this.drainPoll) clearInterval(this.drainPoll);
    this.drainPoll = null;
    for (const stream of [...this.streams.values()]) {
      if (this.congested()) break;
      stream.linkDrained();
    }
  }

  // --- frames from the tab ---

  private onFrame(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (err) {
      this.fatal(ErrorCode.BAD_FRAME, (err as Error).message);
      return;
    }
    if (this.state === 'hello') this.onHello(frame);
    else this.dispatch(frame);
  }

  private onHello(frame: Frame): void {
    if (frame.type !== FrameType.HELLO) return this.fatal(ErrorCode.BAD_FRAME, 'the first frame must be HELLO');
    if (!tokensEqual(frame.token, this.ctx.token)) return this.fatal(ErrorCode.UNAUTHORIZED, 'wrong token');
    if (frame.version !== BRIDGE_VERSION) {
      return this.fatal(ErrorCode.VERSION, `this gateway speaks bridge version ${BRIDGE_VERSION}, the tab sent ${frame.version}`);
    }
    clearTimeout(this.helloTimer);
    this.state = 'ready';
    this.send({ type: FrameType.WELCOME, id: LINK_ID, version: BRIDGE_VERSION, maxDataPayload: this.link.maxDataPayload, peerPort: this.ctx.peerPort });
  }

  private dispatch(frame: Frame): void {
    switch (frame.type) {
      case FrameType.TCP_OPEN:
        return this.open(frame.id, () => new TcpOpen(this, frame.id, frame, this.ctx.policy));
      case FrameType.UTP_OPEN: {
        const utp = this.ctx.utp;
        if (!utp) return this.send({ type: FrameType.ERROR, id: frame.id, code: ErrorCode.CONNECT_FAILED, message: 'this gateway has no uTP socket' });
        return this.open(frame.id, () => new UtpOpen(this, frame.id, frame, this.ctx.policy, utp));
      }
      case FrameType.HTTP_GET:
        return this.open(frame.id, () => new HttpGet(this, frame.id, frame, this.ctx.policy));
      case FrameType.DATA: {
        const stream = this.streams.get(frame.id);
        if (stream) stream.write(frame.bytes);
        else this.send({ type: FrameType.ERROR, id: frame.id, code: ErrorCode.UNKNOWN_STREAM, message: `no stream ${frame.id}` });
        return;
      }
      case FrameType.CREDIT:
        return this.streams.get(frame.id)?.credit(frame.bytes);
      case FrameType.CLOSE:
        return this.closeFromTab(frame.id, frame.reason);
      case FrameType.ERROR:
        if (frame.id === LINK_ID) return this.end(`the tab reported: ${frame.message}`);
        return this.closeFromTab(frame.id, frame.message);
      case FrameType.UDP_BIND:
        return this.bindUdp(frame.id);
      case FrameType.UDP_SEND:
        if (this.udp?.id === frame.id) this.udp.send(frame.host, frame.port, frame.bytes);
        else this.send({ type: FrameType.ERROR, id: frame.id, code: ErrorCode.UNKNOWN_STREAM, message: `no UDP socket ${frame.id}` });
        return;
      case FrameType.LISTEN:
        return this.listen(frame.id, frame.infoHash);
      case FrameType.UNLISTEN:
        this.listens.delete(frame.id);
        return this.ctx.router.remove(this, frame.id);
      case FrameType.PING:
        return this.send({ type: FrameType.PONG, id: LINK_ID, bytes: frame.bytes });
      case FrameType.PONG:
      case FrameType.OPENED: // a tab may acknowledge ACCEPTED; its window is the default
        return;
      default:
        return this.fatal(ErrorCode.BAD_FRAME, `unexpected frame type ${frame.type} from the tab`);
    }
  }

  private open(id: number, create: () => RelayStream): void {
    const refusal = openRefusal(id, this.streams.has(id) || this.udp?.id === id, this.streams.size, this.ctx.streams);
    if (refusal) {
      const code = refusal.startsWith('too many') ? ErrorCode.LIMIT : ErrorCode.BAD_FRAME;
      this.send({ type: FrameType.ERROR, id, code, message: refusal });
      return;
    }
    this.ctx.streams.open++;
    this.streams.set(id, create());
  }

  private closeFromTab(id: number, reason: string): void {
    if (this.udp?.id === id) {
      this.udp.close();
      this.udp = null;
      return;
    }
    this.streams.get(id)?.closeFromTab(reason);
  }

  private bindUdp(id: number): void {
    if (this.udp) {
      if (this.udp.id === id && this.udp.port) this.send({ type: FrameType.BOUND, id, port: this.udp.port });
      else if (this.udp.id !== id) this.send({ type: FrameType.ERROR, id, code: ErrorCode.LIMIT, message: 'one UDP socket per tab' });
      return;
    }
    this.udp = new UdpRelay(this, id, this.ctx.udpFamily, this.ctx.policy, (err, port) => {
      if (err) {
        this.udp = null;
        this.send({ type: FrameType.ERROR, id, code: ErrorCode.CONNECT_FAILED, message: `UDP bind failed: ${err.message}` });
      } else {
        this.send({ type: FrameType.BOUND, id, port });
      }
    });
  }

  private listen(id: number, infoHash: Uint8Array): void {
    if (!this.listens.has(id) && this.listens.size >= MAX_LISTENS_PER_SESSION) {
      this.send({ type: FrameType.ERROR, id, code: ErrorCode.LIMIT, message: `too many LISTENs (limit ${MAX_LISTENS_PER_SESSION})` });
      return;
    }
    this.listens.add(id);
    this.ctx.router.add(infoHash, this, id, (socket, firstBytes) => this.accept(id, socket, firstBytes));
  }

  /** An inbound peer for one of our LISTENs: ACCEPTED, then its handshake as DATA. */
  private accept(listenId: number, socket: PeerSocket, firstBytes: Uint8Array): boolean {
    if (this.state !== 'ready' || this.streams.size >= MAX_STREAMS_PER_SESSION || this.ctx.streams.open >= this.ctx.streams.max) return false;
    const id = this.nextGatewayId++;
    const host = unmapAddress(socket.remoteAddress ?? '0.0.0.0');
    this.send({ type: FrameType.ACCEPTED, id, listenId, window: GATEWAY_STREAM_WINDOW, host, port: socket.remotePort ?? 0 });
    this.ctx.streams.open++;
    // The tab's initial window for an accepted stream is DEFAULT_STREAM_WINDOW (no reply needed).
    this.streams.set(id, new TcpStream(this, id, socket, DEFAULT_STREAM_WINDOW, firstBytes));
    return true;
  }
}
