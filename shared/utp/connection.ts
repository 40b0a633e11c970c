// One uTP connection (BEP 29) as a pure state machine. The host feeds it packets, writes and the
// clock (`nowMs`); it answers with packets to send (`takePackets`), events (`takeEvents`: connected,
// data, end, closed) and the time it next wants a `tick` (`deadline`). No sockets, no timers.
//
// Connection ids: the initiator picks recv_id R, sends its SYN with R and every later packet with
// R + 1; the other side receives on R + 1 and sends with R. A STATE packet carries the seq_nr the
// sender will use next; DATA, FIN and SYN each take one seq_nr.
import { DelayHistory, Ledbat } from './ledbat.ts';
import { encodePacket, PacketType, type PacketTypeValue, type UtpPacket } from './packet.ts';
import { ReceiveBuffer } from './receive-buffer.ts';
import { RttEstimator } from './rtt.ts';
import { SendBuffer, type AckResult, type SentPacket } from './send-buffer.ts';
import { seqAdd, seqDiff } from './seq.ts';

/** Payload per packet: 20-byte header + a selective ACK + 1400 stays under a 1500-byte MTU. */
export const MAX_PAYLOAD_BYTES = 1400;
export const DEFAULT_RECEIVE_BUFFER_BYTES = 256 * 1024;
/** SYN retransmissions before giving up (1 s, 2 s, 4 s back-off: ~15 s in all). */
const SYN_MAX_TIMEOUTS = 3;
/** Consecutive retransmission timeouts that kill a connection (~30 s with back-off). */
const MAX_TIMEOUTS = 5;
const MAX_BACKOFF = 64;
/** Duplicate STATE acks that trigger a fast retransmit of the oldest packet (BEP 29). */
const DUPLICATE_ACKS = 3;

export type UtpState = 'syn-sent' | 'connected' | 'closed';

export type UtpCloseReason = 'refused' | 'reset' | 'timeout';

export type UtpEvent =
  | { type: 'connected' }
  | { type: 'data'; bytes: Uint8Array }
  /** The peer's FIN: every byte it sent was delivered. */
  | { type: 'end' }
  /** Closed for good; `reason` is absent for a clean close or one we asked for. */
  | { type: 'closed'; reason?: UtpCloseReason; message?: string };

export interface UtpConnectionOptions {
  receiveBufferBytes?: number;
  maxPayloadBytes?: number;
  /** The first seq_nr we use (a random one by default; tests pick it to cross the wrap). */
  initialSeq?: number;
}

function microseconds(nowMs: number): number {
  return Math.floor(nowMs * 1000) >>> 0;
}

export class UtpConnection {
  state: UtpState;
  private readonly sendBuffer: SendBuffer;
  private readonly receiveBuffer: ReceiveBuffer;
  private readonly ledbat: Ledbat;
  private readonly rtt = new RttEstimator();
  private readonly delays = new DelayHistory();
  private readonly receiveBufferBytes: number;
  private readonly maxPayloadBytes: number;
  private peerWindowBytes = MAX_PAYLOAD_BYTES;
  private replyDelayUs = 0;
  private ackPending = false;
  private ending = false;
  private finSent = false;
  private finAcked = false;
  private endEmitted = false;
  private unreadBytes = 0;
  private lastAdvertisedBytes = 0;
  private timeouts = 0;
  private backoff = 1;
  /** The retransmission timer; also the persist timer while the peer's window is shut. */
  private rtoDeadlineMs = Infinity;
  /** Closed by a FIN exchange: still acknowledges a retransmitted FIN (our ACK may be lost). */
  private closedCleanly = false;
  private lastAckNr = -1;
  private duplicateAcks = 0;
  private recoverySeq: number | null = null;
  private packets: Uint8Array[] = [];
  private events: UtpEvent[] = [];

  private constructor(readonly recvId: number, readonly sendId: number, state: UtpState, seq: number, ackNr: number, options: UtpConnectionOptions) {
    this.state = state;
    this.receiveBufferBytes = options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES;
    this.maxPayloadBytes = options.maxPayloadBytes ?? MAX_PAYLOAD_BYTES;
    this.sendBuffer = new SendBuffer(seq);
    this.receiveBuffer = new ReceiveBuffer(ackNr, Math.ceil(this.receiveBufferBytes / this.maxPayloadBytes) + 16);
    this.ledbat = new Ledbat(this.maxPayloadBytes);
  }

  /** Opens a connection: the SYN is ready in `takePackets()`. */
  static connect(recvId: number, nowMs: number, options: UtpConnectionOptions = {}): UtpConnection {
    const connection = new UtpConnection(recvId & 0xffff, (recvId + 1) & 0xffff, 'syn-sent', options.initialSeq ?? 1, 0, options);
    connection.transmit(connection.sendBuffer.record(new Uint8Array(0), PacketType.SYN, nowMs), nowMs);
    connection.rtoDeadlineMs = nowMs + connection.rtt.rtoMs;
    return connection;
  }

  /** Accepts a peer's SYN: the STATE that answers it is ready in `takePackets()`. */
  static accept(syn: UtpPacket, nowMs: number, options: UtpConnectionOptions = {}): UtpConnection {
    const seq = options.initialSeq ?? Math.floor(Math.random() * 0x10000);
    const connection = new UtpConnection((syn.connectionId + 1) & 0xffff, syn.connectionId, 'connected', seq, syn.seqNr, options);
    connection.peerWindowBytes = syn.windowBytes;
    connection.replyDelayUs = (microseconds(nowMs) - syn.timestampUs) >>> 0;
    connection.sendControl(PacketType.STATE, nowMs);
    return connection;
  }

  // --- what the host reads ---

  takePackets(): Uint8Array[] {
    const out = this.packets;
    this.packets = [];
    return out;
  }

  takeEvents(): UtpEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** When `tick` should run next (ms, the host's clock), Infinity if no timer is due. */
  get deadlineMs(): number {
    return this.state === 'closed' ? Infinity : this.rtoDeadlineMs;
  }

  /** Bytes written and not yet acknowledged by the peer. */
  get bufferedBytes(): number {
    return this.sendBuffer.queuedBytes + this.sendBuffer.unackedBytes;
  }

  get cwndBytes(): number {
    return this.ledbat.cwndBytes;
  }

  get rttMs(): number {
    return this.rtt.rttMs;
  }

  /** Our FIN went out; nothing more will be sent. */
  get writableEnded(): boolean {
    return this.ending;
  }

  get remoteEnded(): boolean {
    return this.receiveBuffer.finReceived;
  }

  // --- what the host feeds ---

  write(bytes: Uint8Array): void {
    if (this.state !== 'closed' && !this.ending) this.sendBuffer.push(bytes);
  }

  /** Sends a FIN once everything written went out. */
  end(): void {
    this.ending = true;
  }

  /** The application took `bytes` of delivered data: the advertised window opens again. */
  consumed(bytes: number): void {
    this.unreadBytes = Math.max(0, this.unreadBytes - bytes);
    // Announce a window that reopened; the peer may be waiting on it.
    if (this.lastAdvertisedBytes < this.receiveBufferBytes / 4 && this.windowBytes() >= this.receiveBufferBytes / 2) this.ackPending = true;
  }

  /** Aborts: a RESET goes out and the connection is closed (no error event). */
  reset(nowMs: number): void {
    if (this.state === 'closed') return;
    if (this.state === 'connected') this.sendControl(PacketType.RESET, nowMs);
    this.close();
  }

  receive(packet: UtpPacket, nowMs: number): void {
    if (this.state === 'closed') return this.receiveAfterClose(packet, nowMs);
    this.replyDelayUs = (microseconds(nowMs) - packet.timestampUs) >>> 0;
    // The peer is alive: only timeouts in a row without a word from it kill the connection.
    this.timeouts = 0;
    if (packet.type === PacketType.RESET) {
      const refused = this.state === 'syn-sent';
      return this.close(refused ? 'refused' : 'reset', refused ? 'the peer refused the connection (RESET)' : 'the peer reset the connection');
    }
    if (this.state === 'syn-sent') {
      if (packet.type !== PacketType.STATE || packet.ackNr !== this.sendBuffer.oldestSeq) return;
      this.state = 'connected';
      this.receiveBuffer.ackNr = seqAdd(packet.seqNr, -1);
      this.events.push({ type: 'connected' });
    }
    if (packet.type === PacketType.SYN) {
      // Our answer to the SYN was lost: answer again.
      this.ackPending = true;
      return;
    }
    this.peerWindowBytes = packet.windowBytes;
    this.handleAck(packet, nowMs);
    if (packet.type === PacketType.DATA || packet.type === PacketType.FIN) this.handleData(packet);
    this.checkDone(nowMs);
  }

  /** Sends what the windows allow, then a bare ACK if one is owed. Call after each batch. */
  flush(nowMs: number): void {
    if (this.state !== 'connected') return;
    let sent = false;
    for (let packet = this.sendBuffer.nextLost(); packet && this.mayPut(packet.payload.length); packet = this.sendBuffer.nextLost()) {
      this.sendBuffer.retransmitted(packet, nowMs);
      this.transmit(packet, nowMs);
      sent = true;
    }
    while (this.sendBuffer.queuedBytes > 0 && this.mayPut(Math.min(this.sendBuffer.queuedBytes, this.maxPayloadBytes))) {
      const payload = this.sendBuffer.takePayload(this.maxPayloadBytes);
      this.transmit(this.sendBuffer.record(payload, PacketType.DATA, nowMs), nowMs);
      sent = true;
    }
    if (this.ending && !this.finSent && this.sendBuffer.queuedBytes === 0) {
      this.finSent = true;
      this.transmit(this.sendBuffer.record(new Uint8Array(0), PacketType.FIN, nowMs), nowMs);
      sent = true;
    }
    // Armed while anything is outstanding, and while the peer's window is shut with data waiting
    // (nothing in flight would bring an ACK: the timer then sends a probe).
    if ((sent || this.hasWaitingData()) && this.rtoDeadlineMs === Infinity) this.rtoDeadlineMs = nowMs + this.rtt.rtoMs * this.backoff;
    if (this.ackPending) this.sendControl(PacketType.STATE, nowMs);
  }

  /** Runs the timers that are due. */
  tick(nowMs: number): void {
    if (this.state === 'closed') return;
    if (nowMs >= this.rtoDeadlineMs) this.onTimeout(nowMs);
  }

  // --- internals ---

  private handleAck(packet: UtpPacket, nowMs: number): void {
    const flightBefore = this.sendBuffer.flightBytes;
    const result = this.sendBuffer.acknowledge(packet.ackNr, packet.selectiveAck, nowMs);
    let lost = result.lostPackets;
    if (result.ackedPackets > 0) {
      this.onProgress(packet, result, flightBefore, nowMs);
    } else if (packet.type === PacketType.STATE && packet.ackNr === this.lastAckNr && this.sendBuffer.outstandingPackets > 0) {
      if (++this.duplicateAcks === DUPLICATE_ACKS) {
        const oldest = this.sendBuffer.oldest();
        if (oldest && !oldest.sacked && !oldest.lost) {
          this.sendBuffer.declareLost(oldest);
          lost++;
        }
      }
    }
    this.lastAckNr = packet.ackNr;
    if (lost > 0) this.onLoss();
  }

  private onProgress(packet: UtpPacket, result: AckResult, flightBefore: number, nowMs: number): void {
    this.timeouts = 0;
    this.backoff = 1;
    this.duplicateAcks = 0;
    if (result.rttSampleMs !== null) this.rtt.sample(result.rttSampleMs);
    if (packet.timestampDifferenceUs !== 0) {
      const delayUs = this.delays.queuingDelayUs(packet.timestampDifferenceUs, nowMs);
      this.ledbat.onAck(result.ackedBytes, delayUs, flightBefore);
    }
    if (result.finAcked) this.finAcked = true;
    this.rtoDeadlineMs = this.sendBuffer.outstandingPackets > 0 ? nowMs + this.rtt.rtoMs : Infinity;
  }

  /** Halve the window once per window of data (not once per lost packet). */
  private onLoss(): void {
    if (this.recoverySeq !== null && seqDiff(this.sendBuffer.oldestSeq, this.recoverySeq) < 0) return;
    this.ledbat.onLoss();
    this.recoverySeq = this.sendBuffer.nextSeq;
  }

  private handleData(packet: UtpPacket): void {
    this.ackPending = true;
    // A peer that ignores our window gets its packets dropped (and not acked); one packet of
    // slack lets a zero-window probe through.
    const held = this.unreadBytes + this.receiveBuffer.heldBytes + packet.payload.length;
    if (held > this.receiveBufferBytes + this.maxPayloadBytes) return;
    for (const bytes of this.receiveBuffer.receive(packet.seqNr, packet.payload, packet.type === PacketType.FIN)) {
      this.unreadBytes += bytes.length;
      this.events.push({ type: 'data', bytes });
    }
    if (this.receiveBuffer.ended && !this.endEmitted) {
      this.endEmitted = true;
      this.events.push({ type: 'end' });
    }
  }

  private checkDone(nowMs: number): void {
    if (!this.finAcked || !this.receiveBuffer.ended) return;
    // The packet that completes the close is often the peer's FIN: acknowledge it now (flush
    // sends nothing once closed), or the peer waits a retransmission timeout and may give up.
    if (this.ackPending) this.sendControl(PacketType.STATE, nowMs);
    this.closedCleanly = true;
    this.close();
  }

  private onTimeout(nowMs: number): void {
    this.timeouts++;
    const limit = this.state === 'syn-sent' ? SYN_MAX_TIMEOUTS : MAX_TIMEOUTS;
    if (this.timeouts > limit) {
      const what = this.state === 'syn-sent' ? 'no answer to SYN' : 'no answer from the peer';
      return this.close('timeout', `${what} after ${this.timeouts - 1} retransmissions`);
    }
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF);
    this.rtoDeadlineMs = nowMs + this.rtt.rtoMs * this.backoff;
    if (this.state === 'syn-sent') {
      const syn = this.sendBuffer.oldest()!;
      this.sendBuffer.retransmitted(syn, nowMs);
      this.transmit(syn, nowMs);
      return;
    }
    this.ledbat.onTimeout();
    this.sendBuffer.declareAllLost();
    this.recoverySeq = this.sendBuffer.nextSeq;
    this.flush(nowMs);
    if (this.sendBuffer.flightBytes === 0 && this.hasWaitingData()) this.probe(nowMs);
  }

  /** Lost packets or new data wait, and nothing is in flight. */
  private hasWaitingData(): boolean {
    return this.sendBuffer.flightBytes === 0 && (this.sendBuffer.queuedBytes > 0 || this.sendBuffer.nextLost() !== undefined);
  }

  /** The peer's window is shut: one packet in spite of it, to learn when it opens. */
  private probe(nowMs: number): void {
    const lost = this.sendBuffer.nextLost();
    if (lost) {
      this.sendBuffer.retransmitted(lost, nowMs);
      this.transmit(lost, nowMs);
    } else {
      this.transmit(this.sendBuffer.record(this.sendBuffer.takePayload(this.maxPayloadBytes), PacketType.DATA, nowMs), nowMs);
    }
  }

  /** After a clean close the peer may still retransmit its FIN if our ACK was lost: ACK it. */
  private receiveAfterClose(packet: UtpPacket, nowMs: number): void {
    if (!this.closedCleanly || packet.type !== PacketType.FIN) return;
    this.sendControl(PacketType.STATE, nowMs);
  }

  /** May a packet of `bytes` go out now under the congestion and the peer's windows? */
  private mayPut(bytes: number): boolean {
    const flight = this.sendBuffer.flightBytes;
    if (flight + bytes <= Math.min(this.ledbat.cwndBytes, this.peerWindowBytes)) return true;
    // With nothing in flight one packet may exceed the congestion window (never the peer's).
    return flight === 0 && bytes <= this.peerWindowBytes;
  }

  private windowBytes(): number {
    return Math.max(0, this.receiveBufferBytes - this.unreadBytes - this.receiveBuffer.heldBytes);
  }

  private transmit(packet: SentPacket, nowMs: number): void {
    this.put(packet.type, packet.seq, packet.payload, nowMs);
  }

  /**
   * STATE or RESET: they take no seq_nr; they carry the next one we will use — or, once our FIN
   * went out, the FIN's own: nothing follows it, and libtorrent ignores any packet whose seq_nr
   * lies past the FIN it received (so it would never see the ACK of its own FIN).
   */
  private sendControl(type: PacketTypeValue, nowMs: number): void {
    const seqNr = this.finSent ? seqAdd(this.sendBuffer.nextSeq, -1) : this.sendBuffer.nextSeq;
    this.put(type, seqNr, new Uint8Array(0), nowMs);
  }

  private put(type: PacketTypeValue, seqNr: number, payload: Uint8Array, nowMs: number): void {
    const windowBytes = this.windowBytes();
    this.lastAdvertisedBytes = windowBytes;
    this.ackPending = false;
    this.packets.push(encodePacket({
      type,
      connectionId: type === PacketType.SYN ? this.recvId : this.sendId,
      timestampUs: microseconds(nowMs),
      timestampDifferenceUs: this.replyDelayUs,
      windowBytes,
      seqNr,
      ackNr: this.receiveBuffer.ackNr,
      selectiveAck: type === PacketType.SYN ? undefined : this.receiveBuffer.selectiveAck(),
      payload,
    }));
  }

  private close(reason?: UtpCloseReason, message?: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.rtoDeadlineMs = Infinity;
    this.events.push(reason ? { type: 'closed', reason, message } : { type: 'closed' });
  }
}
