// UDP_BIND / UDP_SEND / UDP_RECV: one datagram socket per session, for the DHT and UDP trackers.
// Sends are policy-checked per destination (cached) and rate-capped; refused or excess datagrams
// are dropped silently, as the network would (a DHT must not die on one private address). While a
// destination's name is being looked up, one datagram waits for it and later ones are dropped.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { contained } from '../last-resort.ts';
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { unmapAddress } from '../address-class.ts';
import { PolicyError, type Policy, type ResolvedTarget } from '../policy.ts';
import type { StreamHost } from './stream-host.ts';

export const MAX_DATAGRAM_BYTES = 2048;
const DESTINATION_CACHE_SIZE = 4096;
const DESTINATION_TTL_MS = 60_000;
/** Destinations whose name lookup is running, per tab (each holds one datagram). */
export const MAX_PENDING_UDP_LOOKUPS = 32;

interface CachedDestination {
  target: ResolvedTarget | null; // null: refused
  expires: number;
}

export interface UdpStats {
  sent: number;
  dropped: number;
  received: number;
}

export class UdpRelay {
  readonly stats: UdpStats = { sent: 0, dropped: 0, received: 0 };
  private readonly socket: Socket;
  private readonly destinations = new Map<string, CachedDestination>();
  /** Destinations ("host|port") waiting for their lookup. */
  private readonly resolving = new Set<string>();
  private windowStart = 0;
  private sentInWindow = 0;
  private closed = false;
  private bound = false;

  /** Datagrams of a family this socket cannot send from (an IPv4 address, or an IPv6 one but `::`). */
  private readonly reaches: { readonly 4: boolean; readonly 6: boolean };

  /**
   * Binds port 0 on `bindHost`, the gateway's peer host, so DHT and tracker datagrams leave from the
   * address peers reach us on (`::` is dual-stack on all interfaces; 0.0.0.0 all IPv4 ones).
   * `onBound` gets the port (or an error).
   */
  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    bindHost: string,
    private readonly policy: Policy,
    onBound: (err: Error | null, port: number) => void,
    /** This tab's share of the gateway's datagram rate, now (gateway/limits.ts). */
    private readonly datagramsPerSecond: () => number,
  ) {
    const family = isIP(bindHost) === 6 ? 6 : 4;
    this.reaches = { 4: family === 4 || bindHost === '::', 6: family === 6 };
    this.socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: false });
    this.socket.on('error', (err) => {
      if (!this.bound) onBound(err, 0);
    });
    this.socket.on('message', contained('a datagram for a tab', (msg: Buffer, rinfo: RemoteInfo) => this.onMessage(msg, rinfo.address, rinfo.port)));
    this.socket.bind(0, bindHost, () => {
      this.bound = true;
      onBound(null, this.socket.address().port);
    });
  }

  get port(): number {
    return this.bound ? this.socket.address().port : 0;
  }

  send(host: string, port: number, bytes: Uint8Array): void {
    if (this.closed || !this.bound) return;
    if (bytes.byteLength > MAX_DATAGRAM_BYTES || !this.takeRate()) {
      this.stats.dropped++;
      return;
    }
    const key = `${host}|${port}`;
    const cached = this.destinations.get(key);
    if (cached && cached.expires > Date.now()) {
      this.sendTo(cached.target, port, bytes);
      return;
    }
    if (this.resolving.has(key) || this.resolving.size >= MAX_PENDING_UDP_LOOKUPS) {
      this.stats.dropped++;
      return;
    }
    this.resolving.add(key);
    // Copy: the frame's bytes are a view into a link buffer we do not own past this call.
    const copy = Uint8Array.from(bytes);
    this.policy.resolve(host, port, this.host).then(
      (target) => this.resolved(key, target, port, copy),
      (err: unknown) => this.resolved(key, transient(err) ? undefined : null, port, copy),
    );
  }

  close(): void {
    this.closed = true;
    try {
      this.socket.close();
    } catch {
      // not bound yet or already closed
    }
  }

  /** `target` null: refused (remembered); undefined: failed for now (a timeout, a limit). */
  private resolved(key: string, target: ResolvedTarget | null | undefined, port: number, bytes: Uint8Array): void {
    this.resolving.delete(key);
    if (target !== undefined) {
      if (this.destinations.size >= DESTINATION_CACHE_SIZE) this.destinations.clear();
      this.destinations.set(key, { target, expires: Date.now() + DESTINATION_TTL_MS });
    }
    this.sendTo(target ?? null, port, bytes);
  }

  private sendTo(target: ResolvedTarget | null, port: number, bytes: Uint8Array): void {
    if (this.closed || !target || !this.reaches[target.family]) {
      this.stats.dropped++;
      return;
    }
    // A dual-stack IPv6 socket sends to IPv4 only as ::ffff:a.b.c.d (else EINVAL).
    const address = target.family === 4 && this.socket.address().family === 'IPv6' ? `::ffff:${target.address}` : target.address;
    try {
      this.socket.send(bytes, port, address);
      this.stats.sent++;
    } catch {
      this.stats.dropped++; // a datagram the socket cannot take is lost, as on the network
    }
  }

  /** A fixed one-second window counter: at most this tab's share of datagrams in each. */
  private takeRate(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    return ++this.sentInWindow <= this.datagramsPerSecond();
  }

  private onMessage(msg: Buffer, address: string, port: number): void {
    if (this.closed) return;
    // Dropped when the link is congested or the datagram cannot fit one frame: UDP may lose.
    if (this.host.congested() || msg.byteLength > this.host.maxDataPayload) {
      this.stats.dropped++;
      return;
    }
    this.stats.received++;
    this.host.send({ type: FrameType.UDP_RECV, id: this.id, host: unmapAddress(address), port, bytes: msg });
  }
}

/** A failure worth asking about again soon (the name resolver keeps its own short memory of it). */
function transient(err: unknown): boolean {
  return err instanceof PolicyError && (err.code === ErrorCode.TIMEOUT || err.code === ErrorCode.LIMIT);
}
