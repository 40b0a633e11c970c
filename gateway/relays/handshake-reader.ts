// Reads the BEP 3 handshake of each inbound connection (pstrlen 19, "BitTorrent protocol",
// 8 reserved bytes, info-hash, peer id) and hands the socket to the router. A connection whose
// first bytes are not that prefix is taken for an MSE/PE attempt (mse-route.ts); anything else
// is closed. Inbound TCP connections and inbound uTP streams (gateway/utp) both come through here.
import { HANDSHAKE_BYTES, INFO_HASH_BYTES, PROTOCOL_NAME, RESERVED_BYTES } from '../../shared/peer-wire/constants.ts';
import { HANDSHAKE_SLOT_LIMITS, HandshakeSlots, sourceOf, type HandshakeSlotLimits } from './handshake-slots.ts';
import type { InboundRouter } from './inbound-router.ts';
import { MseRoute } from './mse-route.ts';
import type { PeerSocket } from './tcp-stream.ts';

const PROTOCOL_PREFIX = Buffer.from(`\x13${PROTOCOL_NAME}`, 'latin1');
const INFO_HASH_OFFSET = PROTOCOL_PREFIX.length + RESERVED_BYTES;

/** A reader for new inbound connections, within `limits` (one set of slots per reader). */
export function createHandshakeReader(
  router: InboundRouter,
  limits: Readonly<HandshakeSlotLimits> = HANDSHAKE_SLOT_LIMITS,
): (socket: PeerSocket) => void {
  const slots = new HandshakeSlots(limits);
  return (socket) => {
    // No address: the connection is already gone.
    const source = socket.remoteAddress ? sourceOf(socket.remoteAddress) : null;
    const timeoutMs = source === null ? null : slots.take(source);
    if (source === null || timeoutMs === null) {
      socket.destroy();
      return;
    }
    new PendingHandshake(socket, router, timeoutMs, () => slots.release(source));
  };
}

/** One connection's handshake, copied into 68 bytes as it arrives (never more is kept). */
class PendingHandshake {
  private readonly head = Buffer.alloc(HANDSHAKE_BYTES);
  private filled = 0;
  private finished = false;
  private mse: MseRoute | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly socket: PeerSocket,
    private readonly router: InboundRouter,
    timeoutMs: number,
    private readonly onFinished: () => void,
  ) {
    this.timer = setTimeout(() => this.refuse(), timeoutMs);
    socket.on('data', this.onData);
    socket.on('close', this.finish);
    // Stays after the hand-over: an error after destroy() must not go unhandled.
    socket.on('error', () => socket.destroy());
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.mse) return this.mse.push(chunk);
    const start = this.filled;
    const taken = chunk.copy(this.head, start, 0, HANDSHAKE_BYTES - start);
    this.filled += taken;
    if (!this.prefixMatches(start)) return this.startMse(Buffer.concat([this.head.subarray(0, start), chunk]));
    if (this.filled < HANDSHAKE_BYTES) return;
    this.socket.pause();
    this.finish();
    // Bytes after the handshake (the same chunk only) go to the tab right behind it.
    const rest = chunk.subarray(taken);
    const firstBytes = rest.byteLength > 0 ? Buffer.concat([this.head, rest]) : this.head;
    const infoHash = this.head.subarray(INFO_HASH_OFFSET, INFO_HASH_OFFSET + INFO_HASH_BYTES);
    if (!this.router.route(infoHash, this.socket, firstBytes)) this.socket.destroy();
  };

  /** Not BitTorrent's prefix: an MSE/PE initiator's Ya, or garbage (which MseRoute refuses). */
  private startMse(received: Buffer): void {
    this.mse = new MseRoute(this.socket, this.router, {
      routed: () => this.finish(),
      refused: () => this.refuse(),
    });
    this.mse.push(received);
  }

  /** Whether the bytes from `start` on agree with the protocol prefix (checked once each). */
  private prefixMatches(start: number): boolean {
    const end = Math.min(this.filled, PROTOCOL_PREFIX.length);
    for (let i = start; i < end; i++) if (this.head[i] !== PROTOCOL_PREFIX[i]) return false;
    return true;
  }

  private refuse(): void {
    this.finish();
    this.socket.destroy();
  }

  private readonly finish = (): void => {
    if (this.finished) return;
    this.finished = true;
    this.socket.off('data', this.onData);
    this.socket.off('close', this.finish);
    clearTimeout(this.timer);
    this.onFinished();
  };
}
