// One Session per tab: the HELLO exchange, then frame dispatch to the relays. The session owns
// every socket it opened; when its link goes, all of them go.
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
import { logInternalError } from './last-resort.ts';
import type { FrameLink } from './links/frame-link.ts';
import {
  HELLO_TIMEOUT_MS,
  MAX_LISTENS_PER_SESSION,
  openRateLimiter,
  openRefusal,
  STREAM_OPENS_PER_SECOND,
  streamLimitRefusal,
  type GatewayShares,
  type Refusal,
} from './limits.ts';
import type { Policy } from './policy.ts';
import type { HttpTimeouts } from './relays/http-deadlines.ts';
import { HttpGet } from './relays/http-get.ts';
import type { InboundMse, InboundRouter } from './relays/inbound-listener.ts';
import type { RelayStream, StreamHost } from './relays/stream-host.ts';
import { TcpOpen } from './relays/tcp-open.ts';
import { GATEWAY_STREAM_WINDOW, TcpStream, type PeerSocket } from './relays/tcp-stream.ts';
import { UdpRelay } from './relays/udp-relay.ts';
import { UtpOpen } from './relays/utp-open.ts';
import type { UtpEndpoint } from './utp/utp-endpoint.ts';
import { UtpStream } from './utp/utp-stream.ts';

export interface SessionContext {
  policy: Policy;
  router: InboundRouter;
  shares: GatewayShares;
  /** The address tabs' UDP sockets bind: the peer host, so datagrams leave from where peers reach us. */
  udpHost: string;
  /** The inbound BitTorrent port, announced in WELCOME (the tab tells trackers). */
  peerPort: number;
  /** The uTP endpoint (BEP 29) on the peer port; without it UTP_OPEN is refused. */
  utp?: UtpEndpoint;
  /** HTTP_GET deadlines (relays/http-deadlines.ts); the defaults when absent. */
  httpTimeouts?: HttpTimeouts;
}

const DRAIN_POLL_MS = 200;
const OPEN_RATE_REFUSAL: Refusal = {
  code: ErrorCode.LIMIT,
  message: `too many connection attempts: a tab may open ${STREAM_OPENS_PER_SECOND} streams a second`,
};
/**
 * The most a session may have queued towards its tab. Relayed data stops at the link's high-water
 * mark (1–4 MiB), so only replies pile up past it (PONG, CREDIT, ERROR): a tab that stops reading
 * while it keeps asking is closed here, and a session's memory has this ceiling.
 */
export const MAX_LINK_QUEUE_BYTES = 8 * 1024 * 1024;

export class Session implements StreamHost {
  private state: 'hello' | 'ready' | 'closed' = 'hello';
  private readonly streams = new Map<number, RelayStream>();
  private readonly listens = new Set<number>();
  private udp: UdpRelay | null = null;
  private nextGatewayId = GATEWAY_ID_BASE;
  private helloTimer: NodeJS.Timeout;
  private drainPoll: NodeJS.Timeout | null = null;
  private readonly openBudget = openRateLimiter();

  constructor(private readonly link: FrameLink, private readonly ctx: SessionContext, private readonly onEnd: (s: Session) => void) {
    link.onFrame = (bytes) => this.onFrame(bytes);
    link.onDrain = () => this.drained();
    link.onClose = (reason) => this.end(reason);
    this.helloTimer = setTimeout(() => this.fatal(ErrorCode.TIMEOUT, 'no HELLO in time'), HELLO_TIMEOUT_MS);
    ctx.shares.sessions++;
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
    const bytes = encodeFrame(frame);
    if (this.link.bufferedAmount + bytes.byteLength > MAX_LINK_QUEUE_BYTES) {
      this.end(`the tab stopped reading its link (more than ${MAX_LINK_QUEUE_BYTES / 1024 / 1024} MiB queued for it)`);
      return;
    }
    this.link.send(bytes);
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
    if (this.streams.delete(id)) this.ctx.shares.openStreams--;
  }

  // --- lifecycle ---

  /** Ends the session: every socket it owns is destroyed. */
  end(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    if (this.drainPoll) clearInterval(this.drainPoll);
    for (const stream of this.streams.values()) stream.destroy();
    this.ctx.shares.openStreams -= this.streams.size;
    this.ctx.shares.sessions--;
    this.streams.clear();
    this.udp?.close();
    this.ctx.router.removeOwner(this);
    this.ctx.policy.forgetRequester(this);
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
    try {
      this.handleFrame(bytes);
    } catch (error) {
      // A bug reached by this tab's input ends this tab's session, not the gateway.
      logInternalError(`a frame from a tab (${this.link.kind} link)`, error);
      this.fatal(ErrorCode.BAD_FRAME, 'the gateway could not handle that frame');
    }
  }

  private handleFrame(bytes: Uint8Array): void {
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
    // No credential here: Signaling authorised the tab before the link existed.
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
        return this.open(frame.id, () => new HttpGet(this, frame.id, frame, this.ctx.policy, this.ctx.httpTimeouts));
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
    const refusal = openRefusal(id, this.streams.has(id) || this.udp?.id === id, this.streams.size, this.ctx.shares)
      ?? (this.openBudget.take(performance.now()) ? null : OPEN_RATE_REFUSAL);
    if (refusal) {
      this.send({ type: FrameType.ERROR, id, code: refusal.code, message: refusal.message });
      return;
    }
    this.ctx.shares.openStreams++;
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
    this.udp = new UdpRelay(this, id, this.ctx.udpHost, this.ctx.policy, (err, port) => {
      if (err) {
        this.udp = null;
        this.send({ type: FrameType.ERROR, id, code: ErrorCode.CONNECT_FAILED, message: `UDP bind failed: ${err.message}` });
      } else {
        this.send({ type: FrameType.BOUND, id, port });
      }
    }, () => this.ctx.shares.datagramShare());
  }

  private listen(id: number, infoHash: Uint8Array): void {
    if (!this.listens.has(id) && this.listens.size >= MAX_LISTENS_PER_SESSION) {
      this.send({ type: FrameType.ERROR, id, code: ErrorCode.LIMIT, message: `too many LISTENs (limit ${MAX_LISTENS_PER_SESSION})` });
      return;
    }
    this.listens.add(id);
    this.ctx.router.add(infoHash, this, id, (socket, firstBytes, mse) => this.accept(id, socket, firstBytes, mse));
  }

  /**
   * An inbound peer for one of our LISTENs: ACCEPTED, then its handshake as DATA. An MSE/PE peer's
   * ACCEPTED carries S, and the DATA is what followed its SKEY hash (the tab finishes the handshake).
   */
  private accept(listenId: number, socket: PeerSocket, firstBytes: Uint8Array, mse?: InboundMse): boolean {
    if (this.state !== 'ready' || streamLimitRefusal(this.streams.size, this.ctx.shares)) return false;
    const id = this.nextGatewayId++;
    const host = unmapAddress(socket.remoteAddress ?? '0.0.0.0');
    const mseSecret = mse ? { mseSecret: mse.secret } : {};
    const transport = socket instanceof UtpStream ? 'utp' : 'tcp';
    this.send({ type: FrameType.ACCEPTED, id, listenId, window: GATEWAY_STREAM_WINDOW, host, port: socket.remotePort ?? 0, transport, ...mseSecret });
    this.ctx.shares.openStreams++;
    // The tab's initial window for an accepted stream is DEFAULT_STREAM_WINDOW (no reply needed).
    this.streams.set(id, new TcpStream(this, id, socket, DEFAULT_STREAM_WINDOW, firstBytes.length > 0 ? firstBytes : undefined));
    return true;
  }
}
