// Test helper: two in-memory ByteStreams joined back to back; each write arrives at the other end
// on a later tick. bufferedBytes and the drain signal can be set by the test.
import { MseReceiver, skeyLookup } from '../../../../shared/mse/receiver.ts';
import type { MsePolicy } from '../../../../shared/mse/crypto-methods.ts';
import type { ByteStream, PeerAddress } from '../../../../web/worker/transport.ts';

export class PipeEnd implements ByteStream {
  onData: (bytes: Uint8Array) => void = () => {};
  onClose: (error?: string) => void = () => {};
  onDrain: () => void = () => {};
  closed = false;
  paused = false;
  bufferedBytes = 0;
  highWater = Infinity;
  peer!: PipeEnd;
  readonly written: Uint8Array[] = [];

  constructor(readonly remote: PeerAddress) {}

  write(bytes: Uint8Array): boolean {
    if (this.closed) return false;
    this.written.push(bytes.slice());
    const copy = bytes.slice();
    setImmediate(() => { if (!this.peer.closed) this.peer.onData(copy); });
    return this.bufferedBytes < this.highWater;
  }

  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; }

  close(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
    setImmediate(() => {
      if (this.peer.closed) return;
      this.peer.closed = true;
      this.peer.onClose('the peer closed');
    });
  }
}

export function streamPair(): [PipeEnd, PipeEnd] {
  const a = new PipeEnd({ host: '192.0.2.2', port: 6881 });
  const b = new PipeEnd({ host: '192.0.2.1', port: 50000 });
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Makes `end` the receiving side of an MSE handshake for `infoHash`, under `policy`. */
export function answerMse(end: PipeEnd, infoHash: Uint8Array, policy: MsePolicy): void {
  const receiver = new MseReceiver({ policy, lookup: skeyLookup([infoHash]) });
  let done = false;
  end.onData = (bytes) => {
    if (done) return;
    const step = receiver.push(bytes);
    if (step.send.length > 0) end.write(step.send);
    done = step.result !== undefined;
  };
}
