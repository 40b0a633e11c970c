// Opens the tab's link to the gateway: a WebSocket to /signal, and over it either the bridge
// frames themselves (link=websocket) or the WebRTC offer/answer for a data channel
// (link=webrtc). Works with the browser's WebSocket and RTCPeerConnection, and in Node with `ws`
// and simple-peer's node-datachannel backend (tests, bench).
import Peer from 'simple-peer';
import { tokenSubprotocols } from '../../shared/bridge/auth.ts';
import type { DataChannelLike } from '../links/datachannel-link.ts';
import { openWebSocketAt, type WebSocketConstructor, type WebSocketLike } from '../links/websocket-link.ts';
import type { LinkKind } from '../links/frame-link.ts';

export type { WebSocketConstructor };

export interface SignalOptions {
  /** The gateway's base URL, http(s)://host:port */
  gatewayUrl: string;
  /**
   * The access token, for clients that are not the gateway's own page (Node, other origins): sent
   * as a WebSocket subprotocol. The gateway's page has none: its cookie signs it in.
   */
  token?: string;
  WebSocketImpl: WebSocketConstructor;
  /** RTCPeerConnection config (Node tests add bindAddress: '127.0.0.1'). */
  rtcConfig?: Record<string, unknown>;
  timeoutMs?: number;
}

/** The /signal URL: it names the link, and never carries a secret. */
export function signalUrl(gatewayUrl: string, link: LinkKind): string {
  const url = new URL('/signal', gatewayUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('link', link);
  return url.toString();
}

export function signalProtocols(token: string | undefined): string[] | undefined {
  return token === undefined ? undefined : tokenSubprotocols(token);
}

/** Opens the WebSocket itself as the frame link. Resolves once it is open. */
export function openWebSocket(options: SignalOptions): Promise<WebSocketLike> {
  return openWebSocketAt(signalUrl(options.gatewayUrl, 'websocket'), options.WebSocketImpl, options.timeoutMs, signalProtocols(options.token));
}

export interface WebRtcNegotiation {
  /** The data channel, created before it opens (so a browser can transfer it to a worker). */
  channel: DataChannelLike;
  /**
   * Resolves when the channel is open as seen by simple-peer on this thread. A channel handed to
   * a worker opens there instead: the caller then calls `settle()` so no timeout fires here.
   */
  connected: Promise<void>;
  settle(): void;
  /** Tears down the peer connection and the signaling socket. */
  close(): void;
}

/** Starts WebRTC negotiation with the gateway; the tab is the initiator. */
export function negotiateWebRtc(options: SignalOptions): WebRtcNegotiation {
  const socket = new options.WebSocketImpl(signalUrl(options.gatewayUrl, 'webrtc'), signalProtocols(options.token));
  const peer = new Peer({ initiator: true, trickle: true, config: { iceServers: [], ...options.rtcConfig } });
  const channel = (peer as unknown as { _channel: DataChannelLike })._channel;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    peer.destroy();
    try { socket.close(); } catch { /* already closed */ }
  };
  const outbox: string[] = [];
  peer.on('signal', (signal: unknown) => {
    const text = JSON.stringify({ signal });
    if (socket.readyState === 1) socket.send(text);
    else outbox.push(text);
  });
  socket.onopen = () => { for (const text of outbox.splice(0)) socket.send(text); };
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') return;
    try { peer.signal((JSON.parse(event.data) as { signal: never }).signal); } catch { /* ignore junk */ }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connected = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => { close(); reject(new Error('WebRTC did not connect to the gateway in time')); }, options.timeoutMs ?? 15_000);
    peer.once('connect', () => { clearTimeout(timer); resolve(); });
    peer.once('error', (error: Error) => { clearTimeout(timer); close(); reject(new Error(`WebRTC failed: ${error.message}`)); });
    socket.onclose = (event) => { clearTimeout(timer); close(); reject(new Error(`the gateway closed signaling (${event.code})`)); };
  });
  connected.catch(() => {});
  return { channel, connected, close, settle: () => clearTimeout(timer) };
}
