import type { FrameLink } from './frame-link.ts';

/** The subset of RTCDataChannel we use; node-datachannel's polyfill has it too. */
export interface DataChannelLike {
  binaryType: string;
  readonly bufferedAmount: number;
  bufferedAmountLowThreshold: number;
  readonly readyState: string;
  onmessage: ((event: { data: unknown }) => void) | null;
  onbufferedamountlow: (() => void) | null;
  onclose: (() => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(): void;
}

const LOW_WATER_BYTES = 512 * 1024;

export class DataChannelLink implements FrameLink {
  readonly kind = 'webrtc' as const;
  onFrame: (frame: Uint8Array) => void = () => {};
  onDrain: () => void = () => {};
  onClose: (reason?: string) => void = () => {};
  private closed = false;

  constructor(private readonly channel: DataChannelLike) {
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
    channel.onmessage = (event) => this.onFrame(toBytes(event.data));
    channel.onbufferedamountlow = () => this.onDrain();
    channel.onclose = () => this.finish('the data channel closed');
    channel.onerror = (event) => this.finish(`data channel error: ${describe(event)}`);
  }

  get bufferedAmount(): number {
    return this.channel.bufferedAmount;
  }

  send(frame: Uint8Array<ArrayBuffer>): void {
    if (this.closed) return;
    try {
      this.channel.send(frame);
    } catch (error) {
      this.finish(`data channel send failed: ${describe(error)}`);
    }
  }

  close(): void {
    if (this.closed) return;
    try { this.channel.close(); } catch { /* already closing */ }
    this.finish();
  }

  private finish(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }
}

export function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('expected a binary message');
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  const maybe = value as { error?: { message?: string }; message?: string } | undefined;
  return maybe?.error?.message ?? maybe?.message ?? String(value);
}
