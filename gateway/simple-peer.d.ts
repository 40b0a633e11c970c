// Types for the parts of @thaunknown/simple-peer (installed as `simple-peer`) the gateway uses;
// the package ships none. Move to a shared place if the web bridge needs them too.
declare module 'simple-peer' {
  import type { EventEmitter } from 'node:events';

  export interface SimplePeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    config?: Record<string, unknown>;
    channelConfig?: Record<string, unknown>;
    channelName?: string;
  }

  /** The W3C-like data channel of webrtc-polyfill (or the browser). */
  export interface PeerDataChannel extends EventTarget {
    readonly bufferedAmount: number;
    bufferedAmountLowThreshold: number;
    readonly readyState: string;
    readonly maxMessageSize?: number;
  }

  export default class Peer extends EventEmitter {
    constructor(opts?: SimplePeerOptions);
    readonly connected: boolean;
    readonly destroyed: boolean;
    readonly bufferSize: number;
    /** Internal, but the only way to reach the channel's bufferedamountlow event. */
    _channel: PeerDataChannel | null;
    signal(data: unknown): void;
    send(chunk: Uint8Array | string): void;
    destroy(err?: Error): void;
  }
}
