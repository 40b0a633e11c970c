// LEDBAT congestion control as BEP 29 applies it (RFC 6817): the window grows while the one-way
// queuing delay is under the 100 ms target and shrinks in proportion when it is over, so uTP
// yields to TCP and keeps modem queues short. Pure: the connection feeds it acks and delays.

/** BEP 29 — CCONTROL_TARGET. */
export const TARGET_DELAY_US = 100_000;
/** BEP 29 — MAX_CWND_INCREASE_BYTES_PER_RTT: the gain, at zero delay and a full window. */
export const MAX_GAIN_BYTES_PER_RTT = 3000;
/** The base delay is the minimum over this many one-minute buckets (BEP 29: two minutes). */
const BASE_DELAY_BUCKETS = 2;
const BASE_DELAY_BUCKET_MS = 60_000;
export const MAX_CWND_BYTES = 8 * 1024 * 1024;

/** `a < b` for µs timestamps modulo 2^32 (the two clocks are unrelated, so values wrap). */
function wrappedLess(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** The base (minimum) one-way delay over the last two minutes, from the peer's measurements. */
export class DelayHistory {
  private readonly minima: number[] = [];
  private bucketStartMs = -Infinity;

  add(sampleUs: number, nowMs: number): void {
    const last = this.minima.length - 1;
    if (last < 0 || nowMs - this.bucketStartMs >= BASE_DELAY_BUCKET_MS) {
      this.minima.push(sampleUs >>> 0);
      if (this.minima.length > BASE_DELAY_BUCKETS) this.minima.shift();
      this.bucketStartMs = nowMs;
    } else if (wrappedLess(sampleUs, this.minima[last]!)) {
      this.minima[last] = sampleUs >>> 0;
    }
  }

  get baseUs(): number | null {
    if (this.minima.length === 0) return null;
    let base = this.minima[0]!;
    for (const m of this.minima) if (wrappedLess(m, base)) base = m;
    return base;
  }

  /** Adds the sample and returns its delay above the base: the queuing delay, µs. */
  queuingDelayUs(sampleUs: number, nowMs: number): number {
    this.add(sampleUs, nowMs);
    const d = (sampleUs - this.baseUs!) >>> 0;
    return d > 0x7fffffff ? 0 : d;
  }
}

export class Ledbat {
  cwndBytes: number;
  private slowStart = true;
  private ssthreshBytes = MAX_CWND_BYTES;
  readonly minCwndBytes: number;

  /** `packetBytes`: the largest payload; windows are counted in payload bytes. */
  constructor(readonly packetBytes: number, initialPackets = 4) {
    this.minCwndBytes = 2 * packetBytes;
    this.cwndBytes = initialPackets * packetBytes;
  }

  get inSlowStart(): boolean {
    return this.slowStart;
  }

  /**
   * `ackedBytes` newly acknowledged; `queuingDelayUs` from the ack's delay sample; `flightBytes`
   * what was in flight before this ack (growth only when the window was actually used).
   */
  onAck(ackedBytes: number, queuingDelayUs: number, flightBytes: number): void {
    const windowLimited = flightBytes + ackedBytes + this.packetBytes >= this.cwndBytes;
    if (this.slowStart) {
      if (queuingDelayUs > TARGET_DELAY_US / 2 || this.cwndBytes >= this.ssthreshBytes) this.slowStart = false;
      else {
        if (windowLimited) this.cwndBytes = Math.min(this.cwndBytes + ackedBytes, MAX_CWND_BYTES);
        return;
      }
    }
    const offTarget = (TARGET_DELAY_US - queuingDelayUs) / TARGET_DELAY_US;
    const windowFactor = ackedBytes / Math.max(this.cwndBytes, ackedBytes);
    let gain = MAX_GAIN_BYTES_PER_RTT * offTarget * windowFactor;
    if (gain > 0 && !windowLimited) gain = 0;
    // However long the queue, shrink by at most half a window per round trip (RFC 6817).
    gain = Math.max(gain, -ackedBytes / 2);
    this.cwndBytes = Math.min(Math.max(this.cwndBytes + gain, this.minCwndBytes), MAX_CWND_BYTES);
  }

  /** A packet was lost (fast retransmit): halve, at most once per window (the caller gates). */
  onLoss(): void {
    this.cwndBytes = Math.max(this.cwndBytes / 2, this.minCwndBytes);
    this.ssthreshBytes = this.cwndBytes;
    this.slowStart = false;
  }

  /** The retransmission timer fired: one packet, then slow start back to half the old window. */
  onTimeout(): void {
    this.ssthreshBytes = Math.max(this.cwndBytes / 2, this.minCwndBytes);
    this.cwndBytes = this.packetBytes;
    this.slowStart = true;
  }
}
