// The tab's links to the gateway, defined once for both threads: the main thread (web/bridge)
// negotiates and forwards them, the engine worker (web/worker) sends its frames over them.
//
// One bidirectional message link carrying bridge frames: a WebRTC data channel or a WebSocket.
// The bridge client does not care which; it only needs sending, back-pressure and closing.
// (The gateway's end has its own FrameLink in gateway/links/: another side of the same wire.)

export type LinkKind = 'webrtc' | 'websocket';

export interface FrameLink {
  readonly kind: LinkKind;
  send(frame: Uint8Array<ArrayBuffer>): void;
  /** Bytes handed to send() that the link has not put on the wire yet. */
  readonly bufferedAmount: number;
  onFrame: (frame: Uint8Array) => void;
  /** Fired when bufferedAmount has fallen below the link's low-water mark. */
  onDrain: () => void;
  onClose: (reason?: string) => void;
  close(): void;
}

/** Calls `check` every few ms until it returns true; for links without a drain event. */
export function pollUntil(check: () => boolean, intervalMs = 4): void {
  const timer = setInterval(() => {
    if (check()) clearInterval(timer);
  }, intervalMs);
}
