// The one thing a Session needs from its link to the tab: a message pipe where every message is
// one bridge frame, with a measure of how much is queued (for back-pressure).
//
// Not the tab's FrameLink (web/links/frame-link.ts), though the two look alike: this is the
// gateway's end of the wire, a Node server object. It says which DATA size it announces in WELCOME
// (maxDataPayload) and where its sessions pause their sockets (highWaterMark), and it closes with a
// reason for the tab and the log; the tab's end does neither. Sharing one interface would put the
// gateway's relay limits into the browser's types, or leave both sides' members optional.

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
