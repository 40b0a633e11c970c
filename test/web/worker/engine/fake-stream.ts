// In-memory ByteStreams for engine tests. Like BridgeStream, a local close() also fires onClose
// (with no error), so code under test sees the same order of events as over a real bridge.
import type { ByteStream, PeerAddress } from '../../../../web/worker/transport.ts';

/** One end whose writes are recorded and whose incoming bytes the test feeds. */
export class RecordingStream implements ByteStream {
  readonly written: Uint8Array[] = [];
  closed = false;
  closeReason?: string;
  paused = false;
  bufferedBytes = 0;
  onData: (bytes: Uint8Array) => void = () => {};
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};

  constructor(readonly remote: PeerAddress = { host: '192.0.2.1', port: 6881 }) {}

  write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    this.written.push(bytes.slice());
    return true;
  }

  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    this.onClose();
  }

  /** The remote side sends bytes. */
  feed(bytes: Uint8Array): void {
    if (!this.closed) this.onData(bytes);
  }

  /** The remote side hangs up. */
  remoteClose(error?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(error);
  }

  /** Everything written so far, concatenated. */
  allWritten(): Uint8Array {
    const out = new Uint8Array(this.written.reduce((n, b) => n + b.length, 0));
    let offset = 0;
    for (const b of this.written) { out.set(b, offset); offset += b.length; }
    return out;
  }
}

/** One end of an in-memory pipe; bytes reach the other end on a later microtask. */
class PipeEnd implements ByteStream {
  closed = false;
  readonly bufferedBytes = 0;
  onData: (bytes: Uint8Array) => void = () => {};
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};
  other!: PipeEnd;

  constructor(readonly remote: PeerAddress) {}

  write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    const copy = bytes.slice();
    queueMicrotask(() => { if (!this.other.closed) this.other.onData(copy); });
    return true;
  }

  pause(): void {}
  resume(): void {}

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    queueMicrotask(() => this.other.hangUp(reason ?? 'closed by the other end'));
  }

  private hangUp(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }
}

/** Two connected streams: `local` for the code under test, `remote` for the scripted peer. */
export function pipe(remoteAddress: PeerAddress, localAddress: PeerAddress = { host: '10.0.0.1', port: 50000 }): { local: ByteStream; remote: ByteStream } {
  const local = new PipeEnd(remoteAddress);
  const remote = new PipeEnd(localAddress);
  local.other = remote;
  remote.other = local;
  return { local, remote };
}
