// What the engine needs from the outside world. In the browser and in Node tests alike this is
// the bridge client talking to a gateway; the engine never touches sockets itself.
import type { ByteRange } from '../../shared/bridge/frames.ts';

export interface PeerAddress {
  host: string;
  port: number;
}

/** A relayed byte stream (TCP or uTP peer, or an HTTP body). */
export interface ByteStream {
  readonly remote: PeerAddress;
  /** Queues bytes for sending. Returns false once the unsent queue is above its high-water mark. */
  write(bytes: Uint8Array): boolean;
  /** Unsent bytes queued locally (waiting for credit or for the link). */
  readonly bufferedBytes: number;
  /** Stops granting receive credit: the remote socket is paused at the gateway. */
  pause(): void;
  resume(): void;
  close(reason?: string): void;
  readonly closed: boolean;
  onData: (bytes: Uint8Array) => void;
  /** Called once. `error` is a human-readable reason when it did not end cleanly. */
  onClose: (error?: string) => void;
  /** Called when bufferedBytes falls back below the high-water mark. */
  onDrain: () => void;
}

/** An inbound MSE/PE peer as the gateway hands it over (see ACCEPTED in shared/bridge/frames.ts). */
export interface InboundMse {
  /** S, the Diffie-Hellman secret; the stream's first bytes are the peer's offer on, encrypted. */
  secret: Uint8Array;
}

/** What the gateway says of an inbound peer besides its stream. */
export interface InboundPeer {
  /** The transport that brought the peer to the gateway. */
  transport: StreamKind;
  /** Present for an MSE/PE peer: the gateway began the receiver handshake, the tab finishes it. */
  mse?: InboundMse;
}

export interface HttpResult {
  status: number;
  body: Uint8Array;
}

export interface Datagram {
  host: string;
  port: number;
  bytes: Uint8Array;
}

export interface DatagramSocket {
  readonly port: number;
  send(host: string, port: number, bytes: Uint8Array): void;
  onMessage: (datagram: Datagram) => void;
  close(): void;
}

export type StreamKind = 'tcp' | 'utp';

export interface HttpGetOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Only these bytes of the resource (a Range request; web seeds use it). */
  range?: ByteRange;
}

export interface Transport {
  connect(kind: StreamKind, address: PeerAddress, timeoutMs?: number): Promise<ByteStream>;
  httpGet(url: string, options?: HttpGetOptions): Promise<HttpResult>;
  bindUdp(): Promise<DatagramSocket>;
  /**
   * Routes inbound peers whose handshake names this info-hash to `onPeer`, with how they came
   * (TCP or uTP; an MSE/PE peer's handshake to finish). Returns an unlisten.
   */
  listen(infoHash: Uint8Array, onPeer: (stream: ByteStream, inbound: InboundPeer) => void): Promise<() => void>;
}

export class TransportError extends Error {
  constructor(message: string, readonly code: number) {
    super(message);
    this.name = 'TransportError';
  }
}
