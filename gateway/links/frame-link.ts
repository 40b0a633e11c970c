// The one thing a Session needs from its link to the tab: a message pipe where every message is
// one bridge frame, with a measure of how much is queued (for back-pressure).

export interface FrameLink {
  /** 'websocket' or 'webrtc', for logs and stats. */
  readonly kind: string;
  /** The largest DATA payload the gateway sends on this link (announced in WELCOME). */
  readonly maxDataPayload: number;
  /** Queues one encoded frame. Never throws; a dead link drops it. */
  send(frame: Uint8Array): void;
  /** Bytes queued on the link and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Above this, the session stops reading from sockets. */
  readonly highWaterMark: number;
  /** Each incoming frame (binary message). */
  onFrame: (bytes: Uint8Array) => void;
  /** The buffered amount fell back below the low-water mark. */
  onDrain: () => void;
  /** The link is gone (either side closed it). Called once. */
  onClose: (reason: string) => void;
  close(reason: string): void;
}

export const noop = (): void => {};
