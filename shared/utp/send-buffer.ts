// The sending half of a uTP connection: bytes waiting to be packetized, the packets in flight
// (by 16-bit seq_nr), what the peer's cumulative and selective ACKs acknowledge, and which packets
// count as lost and wait to be sent again.
import { PacketType, type PacketTypeValue } from './packet.ts';
import { forEachSelectiveAck } from './selective-ack.ts';
import { seqAdd, seqDiff } from './seq.ts';

export interface SentPacket {
  readonly seq: number;
  readonly payload: Uint8Array;
  /** DATA, FIN or SYN: the packets that take a seq_nr and wait for an ACK. */
  readonly type: PacketTypeValue;
  sentAtMs: number;
  transmissions: number;
  /** Counted in flightBytes (sent, not acked, not declared lost). */
  inFlight: boolean;
  sacked: boolean;
  lost: boolean;
}

export interface AckResult {
  ackedBytes: number;
  /** Packets acknowledged, cumulatively or selectively. */
  ackedPackets: number;
  /** From the newest packet acknowledged that was sent only once (Karn), or null. */
  rttSampleMs: number | null;
  /** Packets newly declared lost: three packets sent after them were acknowledged. */
  lostPackets: number;
  finAcked: boolean;
}

/** A packet counts as lost once this many packets sent after it were selectively acknowledged. */
export const DUPLICATE_ACK_THRESHOLD = 3;

export class SendBuffer {
  private readonly sent = new Map<number, SentPacket>();
  private readonly queue: Uint8Array[] = [];
  private queueHeadOffset = 0;
  queuedBytes = 0;
  flightBytes = 0;
  /** Bytes sent but not acknowledged, whether or not counted in flight. */
  unackedBytes = 0;
  /** The oldest seq not cumulatively acknowledged (== nextSeq when nothing is outstanding). */
  oldestSeq: number;
  /** Packets declared lost and not yet sent again (or acknowledged after all). */
  private lostCount = 0;

  constructor(public nextSeq: number) {
    this.oldestSeq = nextSeq;
  }

  get outstandingPackets(): number {
    return this.sent.size;
  }

  /** Queues bytes to send (the buffer keeps the array: callers must not reuse it). */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    this.queuedBytes += bytes.length;
  }

  /** Takes up to `maxBytes` queued bytes as one payload. */
  takePayload(maxBytes: number): Uint8Array {
    const size = Math.min(maxBytes, this.queuedBytes);
    const head = this.queue[0]!;
    if (head.length - this.queueHeadOffset >= size) {
      const out = head.subarray(this.queueHeadOffset, this.queueHeadOffset + size);
      this.consume(size);
      return out;
    }
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const part = this.queue[0]!;
      const take = Math.min(part.length - this.queueHeadOffset, size - filled);
      out.set(part.subarray(this.queueHeadOffset, this.queueHeadOffset + take), filled);
      filled += take;
      this.consume(take);
    }
    return out;
  }

  private consume(bytes: number): void {
    this.queuedBytes -= bytes;
    this.queueHeadOffset += bytes;
    if (this.queueHeadOffset === this.queue[0]!.length) {
      this.queue.shift();
      this.queueHeadOffset = 0;
    }
  }

  /** Records a new packet under the next seq and returns it. */
  record(payload: Uint8Array, type: PacketTypeValue, nowMs: number): SentPacket {
    const packet: SentPacket = { seq: this.nextSeq, payload, type, sentAtMs: nowMs, transmissions: 1, inFlight: true, sacked: false, lost: false };
    this.sent.set(packet.seq, packet);
    this.nextSeq = seqAdd(this.nextSeq, 1);
    this.flightBytes += payload.length;
    this.unackedBytes += payload.length;
    return packet;
  }

  /** The oldest packet declared lost, to send again, or undefined. */
  nextLost(): SentPacket | undefined {
    if (this.lostCount === 0) return undefined;
    for (let seq = this.oldestSeq; seq !== this.nextSeq; seq = seqAdd(seq, 1)) {
      const packet = this.sent.get(seq);
      if (packet?.lost) return packet;
    }
    return undefined;
  }

  /** The oldest packet not yet acknowledged (for a probe), or undefined. */
  oldest(): SentPacket | undefined {
    return this.sent.get(this.oldestSeq);
  }

  retransmitted(packet: SentPacket, nowMs: number): void {
    packet.sentAtMs = nowMs;
    packet.transmissions++;
    if (packet.lost) this.lostCount--;
    packet.lost = false;
    if (!packet.inFlight) {
      packet.inFlight = true;
      this.flightBytes += packet.payload.length;
    }
  }

  /** Processes the ack_nr and selective ACK of an incoming packet. */
  acknowledge(ackNr: number, selectiveAck: Uint8Array | undefined, nowMs: number): AckResult {
    const result: AckResult = { ackedBytes: 0, ackedPackets: 0, rttSampleMs: null, lostPackets: 0, finAcked: false };
    // Only acks for packets we sent count: [oldestSeq - 1, nextSeq - 1].
    if (seqDiff(ackNr, this.oldestSeq) < -1 || seqDiff(ackNr, this.nextSeq) >= 0) return result;
    while (seqDiff(this.oldestSeq, ackNr) <= 0) {
      const packet = this.sent.get(this.oldestSeq);
      if (packet) {
        this.sent.delete(packet.seq);
        this.unackedBytes -= packet.payload.length;
        if (!packet.sacked) this.settle(packet, nowMs, result);
      }
      this.oldestSeq = seqAdd(this.oldestSeq, 1);
    }
    if (selectiveAck) {
      forEachSelectiveAck(ackNr, selectiveAck, (seq) => {
        const packet = this.sent.get(seq);
        if (packet && !packet.sacked) {
          packet.sacked = true;
          this.settle(packet, nowMs, result);
        }
      });
      result.lostPackets = this.detectLoss();
    }
    return result;
  }

  private settle(packet: SentPacket, nowMs: number, result: AckResult): void {
    if (packet.inFlight) this.flightBytes -= packet.payload.length;
    packet.inFlight = false;
    if (packet.lost) this.lostCount--;
    packet.lost = false;
    result.ackedBytes += packet.payload.length;
    result.ackedPackets++;
    if (packet.transmissions === 1) result.rttSampleMs = nowMs - packet.sentAtMs;
    if (packet.type === PacketType.FIN) result.finAcked = true;
  }

  /**
   * BEP 29 fast retransmit with selective ACK: an unacknowledged packet is lost once three packets
   * sent after its last transmission were acknowledged.
   */
  private detectLoss(): number {
    let lost = 0;
    // The send times of the (up to) three most recently sent packets acknowledged above `seq`.
    const newest: number[] = [];
    for (let seq = seqAdd(this.nextSeq, -1); seqDiff(seq, this.oldestSeq) >= 0; seq = seqAdd(seq, -1)) {
      const packet = this.sent.get(seq);
      if (!packet) continue;
      if (packet.sacked) {
        keepNewest(newest, packet.sentAtMs, DUPLICATE_ACK_THRESHOLD);
      } else if (!packet.lost && newest.length === DUPLICATE_ACK_THRESHOLD && newest[DUPLICATE_ACK_THRESHOLD - 1]! >= packet.sentAtMs) {
        this.declareLost(packet);
        lost++;
      }
    }
    return lost;
  }

  declareLost(packet: SentPacket): void {
    if (packet.sacked || packet.lost) return;
    packet.lost = true;
    this.lostCount++;
    if (packet.inFlight) this.flightBytes -= packet.payload.length;
    packet.inFlight = false;
  }

  /** The retransmission timer fired: everything outstanding is presumed lost. */
  declareAllLost(): void {
    for (const packet of this.sent.values()) this.declareLost(packet);
  }
}

/** Keeps `values` as the `limit` largest numbers seen, largest first. */
function keepNewest(values: number[], value: number, limit: number): void {
  let i = values.length;
  while (i > 0 && values[i - 1]! < value) i--;
  if (i >= limit) return;
  values.splice(i, 0, value);
  if (values.length > limit) values.pop();
}
