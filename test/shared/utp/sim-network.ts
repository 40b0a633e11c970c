// An in-memory network for two UtpConnections on a simulated clock: per-packet loss, duplication,
// jitter (which reorders), a fixed base delay and an optional bottleneck with a queue (for LEDBAT).
import { UtpConnection, type UtpConnectionOptions, type UtpEvent } from '../../../shared/utp/connection.ts';
import { decodePacket, PacketType } from '../../../shared/utp/packet.ts';

export interface SimOptions {
  seed?: number;
  lossRate?: number;
  duplicateRate?: number;
  delayMs?: number;
  /** Extra random delay per packet, 0..jitterMs: packets overtake each other. */
  jitterMs?: number;
  /** A bottleneck in each direction, bytes per ms (packets queue behind it). */
  bytesPerMs?: number;
  options?: UtpConnectionOptions;
  acceptOptions?: UtpConnectionOptions;
}

type Side = 'a' | 'b';
interface InTransit { atMs: number; to: Side; bytes: Uint8Array; order: number }

export class SimNetwork {
  nowMs = 0;
  a: UtpConnection;
  b: UtpConnection | null = null;
  readonly received: Record<Side, Uint8Array[]> = { a: [], b: [] };
  readonly events: Record<Side, UtpEvent[]> = { a: [], b: [] };
  /** When false, delivered bytes are not consumed (the application is not reading). */
  reading: Record<Side, boolean> = { a: true, b: true };
  readonly stats = { sent: 0, lost: 0, duplicated: 0 };
  /** Drop every packet a side sends (a peer that went away). */
  blackhole: Record<Side, boolean> = { a: false, b: false };
  private transit: InTransit[] = [];
  private order = 0;
  private seed: number;
  private readonly busyUntil: Record<Side, number> = { a: 0, b: 0 };
  private unread: Record<Side, number> = { a: 0, b: 0 };

  constructor(private readonly opts: SimOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.a = UtpConnection.connect(0x4000, this.nowMs, opts.options);
  }

  random(): number {
    this.seed = (this.seed * 1103515245 + 12345) & 0x7fffffff;
    return this.seed / 0x7fffffff;
  }

  connection(side: Side): UtpConnection {
    const c = side === 'a' ? this.a : this.b;
    if (!c) throw new Error(`side ${side} has no connection yet`);
    return c;
  }

  receivedBytes(side: Side): number {
    return this.received[side].reduce((n, b) => n + b.length, 0);
  }

  /** Lets the application on `side` read what it was holding back. */
  read(side: Side): void {
    const c = this.connection(side);
    c.consumed(this.unread[side]);
    this.unread[side] = 0;
    c.flush(this.nowMs);
  }

  /** Runs until `done()` or `limitMs` of simulated time; returns whether `done()` held. */
  run(done: () => boolean, limitMs = 600_000): boolean {
    const endMs = this.nowMs + limitMs;
    for (;;) {
      this.collect();
      if (done()) return true;
      const next = Math.min(this.nextArrival(), this.a.deadlineMs, this.b?.deadlineMs ?? Infinity);
      if (next === Infinity || next > endMs) return false;
      this.nowMs = Math.max(this.nowMs, next);
      this.deliverDue();
      this.a.tick(this.nowMs);
      this.b?.tick(this.nowMs);
    }
  }

  private nextArrival(): number {
    let min = Infinity;
    for (const p of this.transit) if (p.atMs < min) min = p.atMs;
    return min;
  }

  private deliverDue(): void {
    const due = this.transit.filter((p) => p.atMs <= this.nowMs).sort((x, y) => x.atMs - y.atMs || x.order - y.order);
    this.transit = this.transit.filter((p) => p.atMs > this.nowMs);
    const touched = new Set<UtpConnection>();
    for (const p of due) {
      const packet = decodePacket(p.bytes);
      if (p.to === 'b' && !this.b) {
        if (packet.type !== PacketType.SYN) continue;
        this.b = UtpConnection.accept(packet, this.nowMs, this.opts.acceptOptions ?? this.opts.options);
        continue;
      }
      const c = this.connection(p.to);
      c.receive(packet, this.nowMs);
      touched.add(c);
    }
    // Like the gateway: one flush per batch of datagrams (acks coalesce).
    for (const c of touched) c.flush(this.nowMs);
  }

  /** Moves packets and events out of both connections. */
  private collect(): void {
    for (const side of ['a', 'b'] as const) {
      const c = side === 'a' ? this.a : this.b;
      if (!c) continue;
      for (const event of c.takeEvents()) {
        this.events[side].push(event);
        if (event.type !== 'data') continue;
        this.received[side].push(event.bytes);
        if (this.reading[side]) c.consumed(event.bytes.length);
        else this.unread[side] += event.bytes.length;
      }
      for (const bytes of c.takePackets()) this.sendFrom(side, bytes);
    }
  }

  private sendFrom(from: Side, bytes: Uint8Array): void {
    const to: Side = from === 'a' ? 'b' : 'a';
    this.stats.sent++;
    if (this.blackhole[from]) return;
    if (this.random() < (this.opts.lossRate ?? 0)) {
      this.stats.lost++;
      return;
    }
    let departMs = this.nowMs;
    if (this.opts.bytesPerMs) {
      departMs = Math.max(this.nowMs, this.busyUntil[from]) + bytes.length / this.opts.bytesPerMs;
      this.busyUntil[from] = departMs;
    }
    const copies = this.random() < (this.opts.duplicateRate ?? 0) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const atMs = departMs + (this.opts.delayMs ?? 10) + this.random() * (this.opts.jitterMs ?? 0);
      this.transit.push({ atMs, to, bytes, order: this.order++ });
    }
  }
}

export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
