// Types for simple-peer (@thaunknown/simple-peer 10, aliased as "simple-peer"), which ships none.
declare module 'simple-peer' {
  interface PeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    config?: Record<string, unknown>;
    channelName?: string;
    channelConfig?: Record<string, unknown>;
    channelNegotiated?: boolean;
    allowHalfTrickle?: boolean;
    iceCompleteTimeout?: number;
    objectMode?: boolean;
  }
  class Peer {
    constructor(options?: PeerOptions);
    readonly connected: boolean;
    readonly destroyed: boolean;
    /** Bytes queued in the data channel (its bufferedAmount). */
    readonly bufferSize: number;
    /** The underlying RTCDataChannel (a node-datachannel polyfill object in Node). */
    _channel: any;
    _pc: any;
    signal(data: unknown): void;
    send(data: Uint8Array | ArrayBuffer | string): void;
    destroy(error?: Error): void;
    on(event: 'signal', listener: (data: unknown) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'error', listener: (error: Error & { code?: string }) => void): this;
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
    static WEBRTC_SUPPORT: boolean;
  }
  export default Peer;
}
