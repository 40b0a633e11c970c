// BEP 29 round-trip estimate and retransmission timeout:
//   delta = rtt - sample; rtt_var += (|delta| - rtt_var) / 4; rtt += (sample - rtt) / 8;
//   timeout = max(rtt + rtt_var * 4, 500 ms). Before any sample the timeout is 1 s.

export const MIN_RTO_MS = 500;
export const INITIAL_RTO_MS = 1000;
export const MAX_RTO_MS = 60_000;

export class RttEstimator {
  rttMs = 0;
  rttVarMs = 0;
  private sampled = false;

  sample(ms: number): void {
    if (!this.sampled) {
      this.rttMs = ms;
      this.rttVarMs = ms / 2;
      this.sampled = true;
      return;
    }
    const delta = this.rttMs - ms;
    this.rttVarMs += (Math.abs(delta) - this.rttVarMs) / 4;
    this.rttMs += (ms - this.rttMs) / 8;
  }

  get rtoMs(): number {
    if (!this.sampled) return INITIAL_RTO_MS;
    return Math.min(Math.max(this.rttMs + this.rttVarMs * 4, MIN_RTO_MS), MAX_RTO_MS);
  }
}
