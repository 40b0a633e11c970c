// Bridge frames straight over the signaling WebSocket: one binary message per frame.
import type { RawData, WebSocket } from 'ws';
import { MAX_DATA_PAYLOAD_WEBSOCKET } from '../../shared/bridge/frames.ts';
import { noop, type FrameLink } from './frame-link.ts';

const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const LOW_WATER_BYTES = 1024 * 1024;

export function rawDataBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export class WebSocketLink implements FrameLink {
  readonly kind = 'websocket';
  readonly maxDataPayload = MAX_DATA_PAYLOAD_WEBSOCKET;
  readonly highWaterMark = HIGH_WATER_BYTES;
  onFrame: (bytes: Uint8Array) => void = noop;
  onDrain: () => void = noop;
  onClose: (reason: string) => void = noop;
  /** Bytes passed to ws.send whose write callback has not fired yet. */
  private unsent = 0;
  private closed = false;

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (this.closed) return;
      if (!isBinary) {
        this.close('text message on a websocket link');
        return;
      }
      this.onFrame(rawDataBytes(data));
    });
    ws.on('close', (code, reason) => this.finish(`websocket closed (${code}${reason.length ? ' ' + reason.toString() : ''})`));
    ws.on('error', (err) => this.finish(`websocket error: ${err.message}`));
  }

  get bufferedAmount(): number {
    return Math.max(this.unsent, this.ws.bufferedAmount);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    const size = frame.byteLength;
    this.unsent += size;
    this.ws.send(frame, { binary: true }, () => {
      const wasAbove = this.unsent > LOW_WATER_BYTES;
      this.unsent -= size;
      if (wasAbove && this.unsent <= LOW_WATER_BYTES && !this.closed) this.onDrain();
    });
  }

  close(reason: string): void {
    if (this.closed) return;
    // 1008 = policy violation, 1000 = normal; the reason must stay under 123 bytes.
    this.ws.close(1000, reason.slice(0, 120));
    const timer = setTimeout(() => this.ws.terminate(), 2000);
    timer.unref();
    this.finish(reason);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }
}
