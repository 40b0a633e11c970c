// Moves bytes from a readable (a socket, an HTTP response) to the tab as DATA frames, never more
// than the tab's credit allows and not while the link is congested. When it cannot send, it
// pauses the source, so the remote sender feels TCP back-pressure and gateway memory stays bounded
// (at most the chunks already read when the pause happened).
import { SendCredit } from '../../shared/bridge/credit.ts';
import { FrameType } from '../../shared/bridge/frames.ts';
import type { StreamHost } from './stream-host.ts';

export interface PausableSource {
  pause(): unknown;
  resume(): unknown;
  isPaused(): boolean;
}

export class OutboundPump {
  private readonly credit: SendCredit;
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private source: PausableSource | null = null;
  private ended = false;
  private onFlushed: (() => void) | null = null;

  constructor(private readonly host: StreamHost, private readonly id: number, initialCredit: number) {
    this.credit = new SendCredit(initialCredit);
  }

  /** Starts pumping from `source`: call before attaching its 'data' handler to `push`. */
  attach(source: PausableSource): void {
    this.source = source;
    this.update();
  }

  get buffered(): number {
    return this.pendingBytes;
  }

  /** A chunk read from the source. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    this.flush();
  }

  addCredit(bytes: number): void {
    this.credit.add(bytes);
    this.flush();
  }

  linkDrained(): void {
    this.flush();
  }

  /**
   * The source ended: run `then` (send CLOSE) once every pending byte went out. Pending bytes
   * wait for credit like any others.
   */
  end(then: () => void): void {
    this.ended = true;
    this.onFlushed = then;
    this.flush();
  }

  private flush(): void {
    const max = this.host.maxDataPayload;
    while (this.pending.length > 0 && !this.host.congested()) {
      const head = this.pending[0]!;
      const n = this.credit.take(Math.min(head.byteLength, max));
      if (n === 0) break;
      // encodeFrame copies the bytes, so a subarray is enough here.
      this.host.send({ type: FrameType.DATA, id: this.id, bytes: head.subarray(0, n) });
      this.pendingBytes -= n;
      if (n === head.byteLength) this.pending.shift();
      else this.pending[0] = head.subarray(n);
    }
    if (this.ended && this.pending.length === 0 && this.onFlushed) {
      const then = this.onFlushed;
      this.onFlushed = null;
      then();
      return;
    }
    this.update();
  }

  /** Pause the source while anything is pending or no credit is left; resume otherwise. */
  private update(): void {
    const source = this.source;
    if (!source || this.ended) return;
    const blocked = this.pending.length > 0 || this.credit.bytes === 0 || this.host.congested();
    if (blocked && !source.isPaused()) source.pause();
    else if (!blocked && source.isPaused()) source.resume();
  }
}
