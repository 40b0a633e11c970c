// A uTP connection seen as a byte stream: the subset of net.Socket the relays use (a Duplex with
// pause/resume, write callbacks, end, destroy, remoteAddress/remotePort). The endpoint drives it;
// bytes the application has not taken shrink the window the connection advertises, so a paused
// stream stops the remote sender.
import { Duplex } from 'node:stream';

/** Written bytes the connection may hold (unsent + unacknowledged) before write callbacks wait. */
export const UTP_SEND_BUFFER_BYTES = 256 * 1024;
const READABLE_HIGH_WATER_BYTES = 64 * 1024;

/** What the stream asks of the endpoint that owns its connection. */
export interface UtpStreamDriver {
  write(bytes: Uint8Array): void;
  end(): void;
  /** The application took these delivered bytes. */
  consumed(bytes: number): void;
  /** Bytes written and not yet acknowledged by the peer. */
  bufferedBytes(): number;
  /** The stream is gone; `error` null for a plain destroy(). */
  destroyed(error: Error | null): void;
}

export class UtpStream extends Duplex {
  readonly remoteFamily: string;
  private readonly inbox: Uint8Array[] = [];
  private inboxBytes = 0;
  private remoteEnded = false;
  private endPushed = false;
  private wantsRead = false;
  private pendingWrite: ((error?: Error | null) => void) | null = null;

  constructor(private readonly driver: UtpStreamDriver, readonly remoteAddress: string, readonly remotePort: number) {
    super({ allowHalfOpen: true, readableHighWaterMark: READABLE_HIGH_WATER_BYTES, writableHighWaterMark: READABLE_HIGH_WATER_BYTES });
    this.remoteFamily = remoteAddress.includes(':') ? 'IPv6' : 'IPv4';
  }

  /** uTP sends at once (no Nagle); accepted for net.Socket compatibility. */
  setNoDelay(_noDelay?: boolean): this {
    return this;
  }

  /** Idle timeouts belong to the connection (dead peers time out there); accepted and ignored. */
  setTimeout(_timeoutMs: number, _callback?: () => void): this {
    return this;
  }

  /** Bytes delivered by the connection and not yet taken by the application. */
  get unreadBytes(): number {
    return this.inboxBytes;
  }

  // --- from the endpoint ---

  deliver(bytes: Uint8Array): void {
    this.inbox.push(bytes);
    this.inboxBytes += bytes.length;
    this.pump();
  }

  /** The peer's FIN: 'end' follows once everything delivered was read. */
  deliverEnd(): void {
    this.remoteEnded = true;
    this.pump();
  }

  /** Acks freed room in the connection: release a waiting write. */
  sendRoomChanged(): void {
    if (!this.pendingWrite || this.driver.bufferedBytes() >= UTP_SEND_BUFFER_BYTES) return;
    const callback = this.pendingWrite;
    this.pendingWrite = null;
    callback();
  }

  // --- Duplex ---

  override _read(): void {
    this.wantsRead = true;
    this.pump();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // A copy: the connection keeps the bytes until they are acknowledged.
    this.driver.write(Uint8Array.prototype.slice.call(chunk));
    if (this.driver.bufferedBytes() < UTP_SEND_BUFFER_BYTES) callback();
    else this.pendingWrite = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.driver.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.pendingWrite = null;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    this.driver.destroyed(error);
    callback(error);
  }

  private pump(): void {
    let taken = 0;
    while (this.wantsRead && this.inbox.length > 0) {
      const bytes = this.inbox.shift()!;
      this.inboxBytes -= bytes.length;
      taken += bytes.length;
      this.wantsRead = this.push(bytes);
    }
    if (taken > 0) this.driver.consumed(taken);
    if (this.remoteEnded && this.inbox.length === 0 && !this.endPushed) {
      this.endPushed = true;
      this.push(null);
    }
  }
}
