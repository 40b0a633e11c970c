// The contract between a Session and the relayed streams it owns.
import type { Frame } from '../../shared/bridge/frames.ts';

/** What a stream may ask of its session. */
export interface StreamHost {
  /** Encodes and sends a frame on the link. */
  send(frame: Frame): void;
  /** The link is above its high-water mark: stop reading sockets. */
  congested(): boolean;
  /** The largest DATA payload for this link. */
  readonly maxDataPayload: number;
  /** The stream is gone (closed either way, or failed); the session forgets it. */
  forget(id: number): void;
}

/** A stream relayed for the tab: TCP (outbound or inbound), HTTP response, later uTP. */
export interface RelayStream {
  readonly id: number;
  /** DATA from the tab. */
  write(bytes: Uint8Array): void;
  /** CREDIT from the tab. */
  credit(bytes: number): void;
  /** CLOSE from the tab: end quietly, no frame back. */
  closeFromTab(reason: string): void;
  /** The link drained: read again if credit allows. */
  linkDrained(): void;
  /** Session teardown: destroy everything, send nothing. */
  destroy(): void;
  /** Bytes held inside the gateway for this stream (both directions). */
  bufferedBytes(): number;
}
