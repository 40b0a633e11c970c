// The gateway's uTP endpoint (BEP 29): one UDP socket, many connections told apart by remote
// address, port and connection id. It drives the pure UtpConnection state machines with the
// socket and the clock, and shows each connection to the relays as a UtpStream. Everything is
// bounded: connections, new inbound connections per second, per-connection buffers.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { UtpConnection, type UtpEvent } from '../../shared/utp/connection.ts';
import { decodePacket, encodePacket, PacketType, type UtpPacket } from '../../shared/utp/packet.ts';
import { contained } from '../last-resort.ts';
import { TokenBucket } from './token-bucket.ts';
import { UtpStream } from './utp-stream.ts';

export const MAX_UTP_CONNECTIONS = 1024;
/** New inbound connections accepted per second (and in a burst): a SYN flood gets dropped. */
export const INBOUND_SYN_PER_SECOND = 50;
const INBOUND_SYN_BURST = 100;
/** RESETs answered to strangers per second (they could be spoofed: no amplification). */
const RESET_PER_SECOND = 100;
/** A destroyed stream's connection may finish sending (FIN) for this long. */
const LINGER_MS = 30_000;
/** A cleanly closed connection stays to ACK a retransmitted FIN (our ACK may have been lost). */
const TIME_WAIT_MS = 5_000;
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

/** Why a uTP connection cannot even be attempted: the endpoint is full, closed, or of the wrong family. */
export type UtpRefusalKind = 'full' | 'closed' | 'family';

export class UtpLimitError extends Error {
  constructor(readonly kind: UtpRefusalKind, message: string) {
    super(message);
    this.name = 'UtpLimitError';
  }
}

export interface UtpEndpointOptions {
  maxConnections?: number;
  inboundSynPerSecond?: number;
  receiveBufferBytes?: number;
}

interface Entry {
  key: string;
  connection: UtpConnection;
  stream: UtpStream | null;
  address: string;
  port: number;
  /** Drop the connection at this time (lingering or time-wait), or Infinity. */
  dropAtMs: number;
  timer: NodeJS.Timeout | null;
  timerAtMs: number;
}

const CLOSE_CODES = { refused: 'ECONNREFUSED', reset: 'ECONNRESET', timeout: 'ETIMEDOUT' } as const;

function keyOf(address: string, port: number, recvId: number): string {
  return `${address}|${port}|${recvId}`;
}

export class UtpEndpoint {
  /** A new inbound connection (after its SYN); the stream's first bytes are its handshake. */
  onAccept: ((stream: UtpStream) => void) | null = null;
  readonly counters = { packetsIn: 0, packetsOut: 0, malformed: 0, synDropped: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<Entry>();
  private flushScheduled = false;
  private readonly synBucket: TokenBucket;
  private readonly resetBucket = new TokenBucket(RESET_PER_SECOND, RESET_PER_SECOND);
  private readonly maxConnections: number;
  private closed = false;

  private constructor(private readonly socket: Socket, readonly port: number, private readonly options: UtpEndpointOptions) {
    this.maxConnections = options.maxConnections ?? MAX_UTP_CONNECTIONS;
    const synRate = options.inboundSynPerSecond ?? INBOUND_SYN_PER_SECOND;
    this.synBucket = new TokenBucket(synRate, Math.max(synRate, Math.min(INBOUND_SYN_BURST, synRate * 2)));
    socket.on('message', contained('a uTP packet', (message: Buffer, remote: RemoteInfo) => this.onMessage(message, remote)));
    socket.on('error', () => {}); // UDP errors (ICMP unreachable) concern single packets only
  }

  /** Binds the UDP socket (port 0: any); on `::` it is dual-stack (ipv6Only false). */
  static bind(host: string, port: number, options: UtpEndpointOptions = {}): Promise<UtpEndpoint> {
    const type = isIP(host) === 6 ? 'udp6' : 'udp4';
    const socket = createSocket({ type, ipv6Only: false, recvBufferSize: SOCKET_BUFFER_BYTES, sendBufferSize: SOCKET_BUFFER_BYTES });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve(new UtpEndpoint(socket, socket.address().port, options));
      });
    });
  }

  get connectionCount(): number {
    return this.entries.size;
  }

  /** Opens a connection; the stream emits 'connect', or 'error' (code ECONNREFUSED / ETIMEDOUT). */
  connect(address: string, port: number): UtpStream {
    if (this.closed) throw new UtpLimitError('closed', 'the uTP endpoint is closed');
    if (this.entries.size >= this.maxConnections) throw new UtpLimitError('full', `too many uTP connections (limit ${this.maxConnections})`);
    const family = this.socket.address().family;
    if (family === 'IPv4' && isIP(address) !== 4) throw new UtpLimitError('family', `the gateway's uTP socket is IPv4; cannot reach ${address}`);
    // A dual-stack IPv6 socket reaches IPv4 peers (and sees them) as IPv4-mapped addresses.
    if (family === 'IPv6' && isIP(address) === 4) address = `::ffff:${address}`;
    let recvId = Math.floor(Math.random() * 0x10000);
    while (this.idsInUse(address, port, recvId)) recvId = (recvId + 2) & 0xffff;
    const connection = UtpConnection.connect(recvId, performance.now(), { receiveBufferBytes: this.options.receiveBufferBytes });
    const entry = this.add(keyOf(address, port, recvId), connection, address, port);
    // The caller attaches its listeners first; the SYN goes out on the next turn.
    this.markDirty(entry);
    return entry.stream!;
  }

  /**
   * Would a connection receiving on `recvId` (and sending on recvId + 1) share an id with one this
   * remote still knows — open, lingering or in time-wait? Each of ours uses its key's id and the
   * one next to it (+1 if we opened it, -1 if it was accepted); the remote files its side under
   * one of the two, so an overlap makes our fresh SYN look like a packet of the old connection.
   */
  private idsInUse(address: string, port: number, recvId: number): boolean {
    for (const delta of [-1, 0, 1, 2]) if (this.entries.has(keyOf(address, port, (recvId + delta) & 0xffff))) return true;
    return false;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const entry of [...this.entries.values()]) {
      entry.connection.reset(performance.now());
      this.send(entry, entry.connection.takePackets());
      entry.stream?.destroy();
      this.remove(entry);
    }
    this.socket.close();
  }

  // --- incoming packets ---

  private onMessage(message: Buffer, remote: RemoteInfo): void {
    if (this.closed) return;
    this.counters.packetsIn++;
    let packet: UtpPacket;
    try {
      packet = decodePacket(message);
    } catch {
      this.counters.malformed++;
      return;
    }
    const nowMs = performance.now();
    if (packet.type === PacketType.SYN) return this.onSyn(packet, remote, nowMs);
    const entry = this.entries.get(keyOf(remote.address, remote.port, packet.connectionId)) ?? this.findReset(packet, remote);
    if (!entry) {
      if (packet.type !== PacketType.RESET) this.refuse(packet, remote, nowMs);
      return;
    }
    entry.connection.receive(packet, nowMs);
    this.markDirty(entry);
  }

  private onSyn(syn: UtpPacket, remote: RemoteInfo, nowMs: number): void {
    const key = keyOf(remote.address, remote.port, (syn.connectionId + 1) & 0xffff);
    const existing = this.entries.get(key);
    if (existing) {
      existing.connection.receive(syn, nowMs);
      return this.markDirty(existing);
    }
    if (!this.onAccept || this.entries.size >= this.maxConnections || !this.synBucket.take(nowMs)) {
      this.counters.synDropped++;
      return;
    }
    const connection = UtpConnection.accept(syn, nowMs, { receiveBufferBytes: this.options.receiveBufferBytes });
    const entry = this.add(key, connection, remote.address, remote.port);
    this.pump(entry);
    this.onAccept(entry.stream!);
  }

  /** BEP 29 RESETs carry either id of the connection: try ours, and the ones next to it. */
  private findReset(packet: UtpPacket, remote: RemoteInfo): Entry | undefined {
    if (packet.type !== PacketType.RESET) return undefined;
    for (const delta of [1, -1]) {
      const entry = this.entries.get(keyOf(remote.address, remote.port, (packet.connectionId + delta) & 0xffff));
      if (entry && entry.connection.sendId === packet.connectionId) return entry;
    }
    return undefined;
  }

  /** A packet for no connection of ours: answer RESET (rate-limited). */
  private refuse(packet: UtpPacket, remote: RemoteInfo, nowMs: number): void {
    if (!this.resetBucket.take(nowMs)) return;
    const reset = encodePacket({
      type: PacketType.RESET, connectionId: packet.connectionId, timestampUs: Math.floor(nowMs * 1000) >>> 0,
      timestampDifferenceUs: 0, windowBytes: 0, seqNr: 0, ackNr: packet.seqNr, payload: new Uint8Array(0),
    });
    this.counters.packetsOut++;
    this.socket.send(reset, remote.port, remote.address);
  }

  // --- driving connections ---

  private add(key: string, connection: UtpConnection, address: string, port: number): Entry {
    const entry: Entry = { key, connection, stream: null, address, port, dropAtMs: Infinity, timer: null, timerAtMs: Infinity };
    entry.stream = new UtpStream({
      write: (bytes) => {
        connection.write(bytes);
        this.markDirty(entry);
      },
      end: () => {
        connection.end();
        this.markDirty(entry);
      },
      consumed: (bytes) => {
        connection.consumed(bytes);
        this.markDirty(entry);
      },
      bufferedBytes: () => connection.bufferedBytes,
      destroyed: (error) => this.streamDestroyed(entry, error),
    }, address, port);
    this.entries.set(key, entry);
    return entry;
  }

  private markDirty(entry: Entry): void {
    this.dirty.add(entry);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything that arrived in this turn of the event loop is answered at once: acks coalesce.
    setImmediate(() => this.flushDirty());
  }

  private flushDirty(): void {
    this.flushScheduled = false;
    const nowMs = performance.now();
    const entries = [...this.dirty];
    this.dirty.clear();
    for (const entry of entries) {
      if (!this.entries.has(entry.key)) continue;
      entry.connection.flush(nowMs);
      this.pump(entry);
    }
  }

  /** Sends what the connection queued, hands its events to the stream, re-arms its timer. */
  private pump(entry: Entry): void {
    this.send(entry, entry.connection.takePackets());
    for (const event of entry.connection.takeEvents()) this.dispatch(entry, event);
    entry.stream?.sendRoomChanged();
    if (this.entries.has(entry.key)) this.arm(entry);
  }

  private send(entry: Entry, packets: Uint8Array[]): void {
    for (const bytes of packets) this.socket.send(bytes, entry.port, entry.address);
    this.counters.packetsOut += packets.length;
  }

  private dispatch(entry: Entry, event: UtpEvent): void {
    const stream = entry.stream;
    switch (event.type) {
      case 'connected':
        stream?.emit('connect');
        return;
      case 'data':
        if (stream) stream.deliver(event.bytes);
        else entry.connection.consumed(event.bytes.length); // lingering: nobody reads
        return;
      case 'end':
        stream?.deliverEnd();
        return;
      case 'closed':
        if (event.reason) {
          const error = Object.assign(new Error(`uTP ${event.message ?? event.reason}`), { code: CLOSE_CODES[event.reason] });
          entry.stream = null;
          stream?.destroy(error);
          this.remove(entry);
        } else {
          stream?.deliverEnd();
          entry.dropAtMs = Math.min(entry.dropAtMs, performance.now() + TIME_WAIT_MS);
        }
        return;
    }
  }

  /** A destroyed stream: abort (RESET) unless it was closing anyway, then linger to finish. */
  private streamDestroyed(entry: Entry, error: Error | null): void {
    entry.stream = null;
    const connection = entry.connection;
    if (!this.entries.has(entry.key) || connection.state === 'closed') {
      if (connection.state !== 'closed') this.remove(entry);
      return;
    }
    const graceful = !error && connection.state === 'connected' && (connection.writableEnded || connection.remoteEnded);
    if (!graceful) {
      connection.reset(performance.now());
      this.send(entry, connection.takePackets());
      this.remove(entry);
      return;
    }
    connection.end();
    entry.dropAtMs = performance.now() + LINGER_MS;
    this.markDirty(entry);
  }

  private arm(entry: Entry): void {
    const dueMs = Math.min(entry.connection.deadlineMs, entry.dropAtMs);
    if (dueMs === Infinity || (entry.timer && entry.timerAtMs <= dueMs)) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timerAtMs = dueMs;
    entry.timer = setTimeout(() => this.onTimer(entry), Math.max(1, Math.ceil(dueMs - performance.now())));
    entry.timer.unref();
  }

  private onTimer(entry: Entry): void {
    entry.timer = null;
    entry.timerAtMs = Infinity;
    if (!this.entries.has(entry.key)) return;
    const nowMs = performance.now();
    if (nowMs >= entry.dropAtMs) {
      entry.stream?.destroy();
      return this.remove(entry);
    }
    entry.connection.tick(nowMs);
    this.pump(entry);
  }

  private remove(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    this.dirty.delete(entry);
    this.entries.delete(entry.key);
  }
}
