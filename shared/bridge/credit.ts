// Per-stream credit flow control for the bridge (DESIGN.md). The receiver grants a window of
// bytes it will accept; the sender may only send that many until more CREDIT arrives. Pure state:
// the caller does the I/O (pausing sockets, sending CREDIT frames).

/** The sending half: how many bytes we may still send on a stream. */
export class SendCredit {
  constructor(private available: number) {}

  get bytes(): number {
    return this.available;
  }

  /** Takes up to `wanted` bytes of credit; returns how many were granted (maybe 0). */
  take(wanted: number): number {
    const granted = Math.min(wanted, this.available);
    this.available -= granted;
    return granted;
  }

  add(bytes: number): void {
    this.available += bytes;
  }
}

export class CreditOverrunError extends Error {
  constructor(readonly received: number, readonly window: number) {
    super(`peer sent ${received} bytes beyond a window of ${window}`);
    this.name = 'CreditOverrunError';
  }
}

/**
 * The receiving half. `received` counts bytes that arrived and are not yet consumed;
 * `consumed` returns the credit to send back, batched so that CREDIT frames stay rare
 * (one per half window consumed).
 */
export class ReceiveWindow {
  private outstanding: number; // credit the sender still holds
  private pendingGrant = 0; // consumed bytes not yet granted back

  constructor(readonly window: number) {
    this.outstanding = window;
  }

  /** Records arriving bytes; throws CreditOverrunError if the sender exceeded its credit. */
  received(bytes: number): void {
    if (bytes > this.outstanding) throw new CreditOverrunError(bytes, this.outstanding);
    this.outstanding -= bytes;
  }

  /** Records bytes the application has consumed; returns a CREDIT amount to send, or 0. */
  consumed(bytes: number): number {
    this.pendingGrant += bytes;
    if (this.pendingGrant < this.window / 2 && this.outstanding > 0) return 0;
    const grant = this.pendingGrant;
    this.pendingGrant = 0;
    this.outstanding += grant;
    return grant;
  }
}
