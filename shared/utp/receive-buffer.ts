// The receiving half of a uTP connection: puts DATA back in order, holds a bounded number of
// packets that arrived early, knows where the stream ends (the FIN's seq_nr), and builds the
// selective ACK for what it holds.
import { encodeSelectiveAck } from './selective-ack.ts';
import { seqAdd, seqDiff } from './seq.ts';

export class ReceiveBuffer {
  private readonly held = new Map<number, Uint8Array>();
  private heldByteCount = 0;
  private finSeq: number | null = null;
  /** Every byte up to the peer's FIN was delivered. */
  ended = false;

  /** `ackNr` is the last seq received in order; at most `maxHeldPackets` are kept out of order. */
  constructor(public ackNr: number, readonly maxHeldPackets: number) {}

  get heldBytes(): number {
    return this.heldByteCount;
  }

  get heldPackets(): number {
    return this.held.size;
  }

  /** The peer's FIN arrived (maybe not everything before it yet). */
  get finReceived(): boolean {
    return this.finSeq !== null;
  }

  /**
   * Takes one DATA or FIN packet; returns the payloads that are now in order (often none).
   * Duplicates, packets past the FIN and packets too far ahead are ignored.
   */
  receive(seq: number, payload: Uint8Array, isFin: boolean): Uint8Array[] {
    if (this.finSeq !== null && seqDiff(seq, this.finSeq) > 0) return [];
    const distance = seqDiff(seq, this.ackNr);
    if (distance <= 0 || distance > this.maxHeldPackets) return [];
    if (isFin && this.finSeq === null) this.finSeq = seq;
    if (distance > 1) {
      if (!this.held.has(seq) && this.held.size < this.maxHeldPackets) {
        this.held.set(seq, payload);
        this.heldByteCount += payload.length;
      }
      return [];
    }
    const delivered: Uint8Array[] = [];
    this.advance(payload, delivered);
    for (let next = this.held.get(seqAdd(this.ackNr, 1)); next; next = this.held.get(seqAdd(this.ackNr, 1))) {
      this.held.delete(seqAdd(this.ackNr, 1));
      this.heldByteCount -= next.length;
      this.advance(next, delivered);
    }
    return delivered;
  }

  private advance(payload: Uint8Array, delivered: Uint8Array[]): void {
    this.ackNr = seqAdd(this.ackNr, 1);
    if (payload.length > 0) delivered.push(payload);
    if (this.ackNr === this.finSeq) this.ended = true;
  }

  /** The BEP 29 selective ACK bitmask for the packets held, or undefined. */
  selectiveAck(): Uint8Array | undefined {
    if (this.held.size === 0) return undefined;
    let span = 0;
    for (const seq of this.held.keys()) span = Math.max(span, seqDiff(seq, this.ackNr));
    return encodeSelectiveAck(this.ackNr, span, (seq) => this.held.has(seq));
  }
}
