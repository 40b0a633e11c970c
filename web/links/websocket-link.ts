import { pollUntil, type FrameLink } from './frame-link.ts';
import { toBytes } from './datachannel-link.ts';

/** The subset of the WebSocket API we use (the browser's, or the `ws` package in Node). */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

const LOW_WATER_BYTES = 1024 * 1024;

export class WebSocketLink implements FrameLink {
  readonly kind = 'websocket' as const;
  onFrame: (frame: Uint8Array) => void = () => {};
  onDrain: () => void = () => {};
  onClose: (reason?: string) => void = () => {};
  private closed = false;
  private drainPending = false;

  constructor(private readonly socket: WebSocketLike) {
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') return; // signaling text is not ours
      this.onFrame(toBytes(event.data));
    };
    socket.onclose = (event) => this.finish(event.reason || `the WebSocket closed (code ${event.code})`);
    socket.onerror = () => this.finish('WebSocket error');
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  send(frame: Uint8Array<ArrayBuffer>): void {
    if (this.closed) return;
    this.socket.send(frame);
    // WebSockets have no "buffered amount low" event: poll while congested.
    if (!this.drainPending && this.socket.bufferedAmount > LOW_WATER_BYTES) {
      this.drainPending = true;
      pollUntil(() => {
        if (this.closed) return true;
        if (this.socket.bufferedAmount > LOW_WATER_BYTES) return false;
        this.drainPending = false;
        this.onDrain();
        return true;
      });
    }
  }

  close(): void {
    if (this.closed) return;
    try { this.socket.close(1000, 'closed by the tab'); } catch { /* already closing */ }
    this.finish();
  }

  private finish(reason?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }
}

export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike & {
  onopen: (() => void) | null;
  send(data: string | Uint8Array<ArrayBuffer>): void;
};

/**
 * Opens a WebSocket to the gateway and resolves once it is open; an error, a close or the
 * timeout rejects with a readable reason. The browser's WebSocket, or `ws` in Node.
 */
export function openWebSocketAt(url: string, WebSocketImpl: WebSocketConstructor, timeoutMs = 10_000, protocols?: string[]): Promise<WebSocketLike> {
  const socket = new WebSocketImpl(url, protocols);
  socket.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { socket.close(); reject(new Error('the gateway WebSocket did not open in time')); }, timeoutMs);
    socket.onopen = () => { clearTimeout(timer); resolve(socket); };
    socket.onerror = () => { clearTimeout(timer); reject(new Error('could not reach the gateway (WebSocket refused: is this page signed in, or the token right?)')); };
    socket.onclose = (event) => { clearTimeout(timer); reject(new Error(`the gateway closed the WebSocket (${event.code})`)); };
  });
}
