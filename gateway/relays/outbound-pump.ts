// Moves bytes from a readable (a socket, an HTTP response) to the tab as DATA frames, never more
// than the tab's credit allows and not while the link is congested. When it cannot send, it
// pauses the source, so the remote sender feels TCP back-pressure and gateway memory stays bounded
// (at most a frame's payload plus the chunks already read when the pause happened).
//
// Chunks read in one turn of the event loop leave as one frame of up to maxDataPayload: a socket
// yields at most 64 KiB per read, and each message has a cost of its own in the browser (network
// and IO threads, the tab's worker). ~210 KiB WebSocket frames instead of ~60 KiB ones lifted the
// tab's download over the WebSocket link by ~13 % (bench/browser, 128 MiB, 2 cores).
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
  private flushScheduled = false;
  private stopped = false;

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

  /** A chunk read from the source: sent with the others of this turn, or at once if a frame is full. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes >= this.host.maxDataPayload) this.flush(true);
    if (this.pending.length > 0 && !this.flushScheduled) {
      // setImmediate runs after the poll phase, once libuv has read what the socket holds.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
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

  /** The stream is gone: pending bytes are dropped and nothing more is sent (a flush may be scheduled). */
  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
    this.pendingBytes = 0;
    this.onFlushed = null;
  }

  /** Sends pending bytes while credit and the link allow; `fullFramesOnly` keeps a short tail back. */
  private flush(fullFramesOnly = false): void {
    if (this.stopped) return;
    const max = this.host.maxDataPayload;
    while (this.pending.length > 0 && !this.host.congested() && (!fullFramesOnly || this.pendingBytes >= max)) {
      const n = this.credit.take(Math.min(this.pendingBytes, max));
      if (n === 0) break;
      this.host.send({ type: FrameType.DATA, id: this.id, bytes: this.takeBytes(n) });
      this.pendingBytes -= n;
    }
    if (this.ended && this.pending.length === 0 && this.onFlushed) {
      const then = this.onFlushed;
      this.onFlushed = null;
      then();
      return;
    }
    this.update();
  }

  /**
   * Removes exactly `size` bytes from the front of `pending`. encodeFrame copies the bytes, so a
   * subarray of one chunk is enough; only a frame made of several chunks is joined here.
   */
  private takeBytes(size: number): Uint8Array {
    const head = this.pending[0]!;
    if (head.byteLength >= size) {
      if (head.byteLength === size) this.pending.shift();
      else this.pending[0] = head.subarray(size);
      return head.subarray(0, size);
    }
    const joined = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.pending[0]!;
      const take = Math.min(chunk.byteLength, size - filled);
      joined.set(chunk.subarray(0, take), filled);
      filled += take;
      if (take === chunk.byteLength) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
    return joined;
  }

  /**
   * Pause the source while a frame's payload is pending (waiting for credit or the link), no
   * credit is left or the link is congested; resume otherwise.
   */
  private update(): void {
    const source = this.source;
    if (!source || this.ended) return;
    const blocked = this.pendingBytes >= this.host.maxDataPayload || this.credit.bytes === 0 || this.host.congested();
    if (blocked && !source.isPaused()) source.pause();
    else if (!blocked && source.isPaused()) source.resume();
  }
}
