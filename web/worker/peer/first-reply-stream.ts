// A ByteStream that tells once when the peer first sends anything: the proof that a connection
// attempt was taken (a peer that requires encryption takes a plaintext connection and hangs up on
// our handshake without a word). Everything else is the inner stream's.
import type { ByteStream } from '../transport.ts';

export class FirstReplyStream implements ByteStream {
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};
  onData: (bytes: Uint8Array) => void = () => {};

  constructor(private readonly inner: ByteStream, onFirstReply: () => void) {
    let waiting = true;
    inner.onData = (bytes) => {
      if (waiting) { waiting = false; onFirstReply(); }
      this.onData(bytes);
    };
    inner.onClose = (error) => this.onClose(error);
    inner.onDrain = () => this.onDrain();
  }

  get remote() { return this.inner.remote; }
  get bufferedBytes(): number { return this.inner.bufferedBytes; }
  get closed(): boolean { return this.inner.closed; }
  write(bytes: Uint8Array): boolean { return this.inner.write(bytes); }
  pause(): void { this.inner.pause(); }
  resume(): void { this.inner.resume(); }
  close(reason?: string): void { this.inner.close(reason); }
}
