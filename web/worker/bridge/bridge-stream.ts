import { ReceiveWindow, SendCredit } from '../../../shared/bridge/credit.ts';
import type { ByteStream, PeerAddress } from '../transport.ts';
import { takeDataFrame } from './data-frame.ts';

/** What a stream needs from its bridge client. */
export interface StreamHost {
  readonly maxDataPayload: number;
  /** True while the link can take more frames. */
  linkWritable(): boolean;
  /** Sends one encoded DATA frame (see takeDataFrame). */
  sendFrame(frame: Uint8Array<ArrayBuffer>): void;
  sendCredit(id: number, bytes: number): void;
  sendClose(id: number): void;
  forget(id: number): void;
}

const WRITE_HIGH_WATER_BYTES = 1024 * 1024;

/** One relayed stream with credit flow control in both directions (DESIGN.md). */
export class BridgeStream implements ByteStream {
  onData: (bytes: Uint8Array) => void = () => {};
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};
  closed = false;
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private readonly credit: SendCredit;
  private readonly window: ReceiveWindow;
  private paused = false;
  private unacknowledged = 0; // bytes delivered while paused, credited on resume
  private wasAboveHighWater = false;
  private flushScheduled = false;

  constructor(
    readonly id: number,
    readonly remote: PeerAddress,
    private readonly host: StreamHost,
    sendWindow: number,
    receiveWindow: number,
  ) {
    this.credit = new SendCredit(sendWindow);
    this.window = new ReceiveWindow(receiveWindow);
  }

  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    if (bytes.length > 0) {
      this.queue.push(bytes);
      this.queuedBytes += bytes.length;
    }
    // Writes of one tick (a burst of 17-byte requests, say) leave as one frame: per-message
    // costs dominate small frames on a data channel.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    const ok = this.queuedBytes < WRITE_HIGH_WATER_BYTES;
    if (!ok) this.wasAboveHighWater = true;
    return ok;
  }

  /** Sends queued bytes while credit and the link allow. Called again on CREDIT and link drain. */
  flush(): void {
    while (this.queue.length > 0 && !this.closed && this.host.linkWritable()) {
      const budget = this.credit.take(Math.min(this.queuedBytes, this.host.maxDataPayload));
      if (budget === 0) break;
      this.queuedBytes -= budget;
      this.host.sendFrame(takeDataFrame(this.id, this.queue, budget));
    }
    if (this.wasAboveHighWater && this.queuedBytes < WRITE_HIGH_WATER_BYTES / 2) {
      this.wasAboveHighWater = false;
      this.onDrain();
    }
  }

  addCredit(bytes: number): void {
    this.credit.add(bytes);
    this.flush();
  }

  /** Delivers arriving bytes; throws CreditOverrunError if the gateway ignored our window. */
  deliver(bytes: Uint8Array): void {
    this.window.received(bytes.length);
    this.onData(bytes);
    if (this.closed) return;
    if (this.paused) this.unacknowledged += bytes.length;
    else this.grant(bytes.length);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const owed = this.unacknowledged;
    this.unacknowledged = 0;
    this.grant(owed);
  }

  close(): void {
    if (this.closed) return;
    this.host.sendClose(this.id);
    this.finish();
  }

  /** The other side closed or failed the stream. */
  finish(error?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.host.forget(this.id);
    this.onClose(error);
  }

  private grant(consumed: number): void {
    const credit = this.window.consumed(consumed);
    if (credit > 0) this.host.sendCredit(this.id, credit);
  }
}
