import type { FrameLink, LinkKind } from './frame-link.ts';

/**
 * Frames forwarded through a MessagePort by the main thread, for browsers that cannot transfer
 * an RTCDataChannel into a worker. Buffers are transferred, not copied. The main thread reports
 * the channel's bufferedAmount, so back-pressure still reaches the engine.
 */
export type PortMessage =
  | { type: 'frame'; bytes: ArrayBuffer }
  | { type: 'buffered'; amount: number }
  | { type: 'closed'; reason: string };

const LOW_WATER_BYTES = 512 * 1024;

export class PortLink implements FrameLink {
  onFrame: (frame: Uint8Array) => void = () => {};
  onDrain: () => void = () => {};
  onClose: (reason?: string) => void = () => {};
  private reportedBuffered = 0;
  private sentSinceReport = 0;
  private closed = false;

  constructor(private readonly port: MessagePort, readonly kind: LinkKind) {
    port.onmessage = (event: MessageEvent<PortMessage>) => this.onMessage(event.data);
    port.start();
  }

  get bufferedAmount(): number {
    return this.reportedBuffered + this.sentSinceReport;
  }

  send(frame: Uint8Array<ArrayBuffer>): void {
    if (this.closed) return;
    const bytes = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? frame.buffer : frame.slice().buffer;
    this.sentSinceReport += frame.byteLength;
    this.port.postMessage({ type: 'frame', bytes } satisfies PortMessage, [bytes]);
  }

  close(): void {
    if (this.closed) return;
    this.port.postMessage({ type: 'closed', reason: 'closed by the engine' } satisfies PortMessage);
    this.finish('closed');
  }

  private onMessage(message: PortMessage): void {
    if (message.type === 'frame') return this.onFrame(new Uint8Array(message.bytes));
    if (message.type === 'closed') return this.finish(message.reason);
    const wasHigh = this.bufferedAmount > LOW_WATER_BYTES;
    this.reportedBuffered = message.amount;
    this.sentSinceReport = 0;
    if (wasHigh && this.bufferedAmount <= LOW_WATER_BYTES) this.onDrain();
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.port.close();
    this.onClose(reason);
  }
}
