// A ByteStream seen through an MSE/PE stream: writes are encrypted, reads decrypted, and the
// flow control (bufferedBytes and its high-water mark, pause/resume, onDrain) is the inner
// stream's, untouched: RC4 keeps lengths, so the counts mean the same bytes.
import type { MseStream } from '../../../shared/mse/handshake.ts';
import type { ByteStream } from '../transport.ts';

export class MseByteStream implements ByteStream {
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};

  private dataHandler: (bytes: Uint8Array) => void = () => {};
  /**
   * Payload that came before anyone took onData (with the end of the handshake, or in frames
   * handled while the handshake's promise settled): held, within the inner stream's window.
   */
  private early: Uint8Array[] | undefined = [];

  constructor(
    private readonly inner: ByteStream,
    private readonly mse: MseStream,
    received: Uint8Array = new Uint8Array(0),
  ) {
    if (received.length > 0) this.early!.push(received);
    inner.onData = (bytes) => this.deliver(mse.decrypt(bytes));
    inner.onClose = (error) => this.onClose(error);
    inner.onDrain = () => this.onDrain();
  }

  get onData(): (bytes: Uint8Array) => void {
    return this.dataHandler;
  }

  /** Held payload goes out after the taker's synchronous set-up (its other handlers). */
  set onData(handler: (bytes: Uint8Array) => void) {
    this.dataHandler = handler;
    const early = this.early;
    if (!early) return;
    this.early = undefined;
    if (early.length > 0) queueMicrotask(() => { for (const bytes of early) if (!this.inner.closed) this.dataHandler(bytes); });
  }

  get remote() { return this.inner.remote; }
  get bufferedBytes(): number { return this.inner.bufferedBytes; }
  get closed(): boolean { return this.inner.closed; }
  /** 'rc4', or 'plaintext' when the peer chose an obfuscated handshake only. */
  get method() { return this.mse.method; }

  private deliver(bytes: Uint8Array): void {
    if (this.early) this.early.push(bytes);
    else this.dataHandler(bytes);
  }

  write(bytes: Uint8Array): boolean {
    return this.inner.write(this.mse.encrypt(bytes));
  }

  pause(): void { this.inner.pause(); }
  resume(): void { this.inner.resume(); }
  close(reason?: string): void { this.inner.close(reason); }
}
