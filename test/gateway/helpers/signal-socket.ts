// Opens an authorised /signal WebSocket the way a non-browser client does: the token goes in the
// Sec-WebSocket-Protocol header (shared/bridge/auth.ts), never in the URL.
import WebSocket from 'ws';
import { tokenSubprotocols } from '../../../shared/bridge/auth.ts';

export interface SignalTarget {
  port: number;
  token: string;
}

export function signalSocket(gateway: SignalTarget, link: 'webrtc' | 'websocket', options: WebSocket.ClientOptions = {}): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${gateway.port}/signal?link=${link}`, tokenSubprotocols(gateway.token), options);
}

/** The socket once open; rejects on an HTTP refusal or error. */
export function openSignalSocket(gateway: SignalTarget, link: 'webrtc' | 'websocket', options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = signalSocket(gateway, link, options);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      ws.terminate();
      reject(new Error(`/signal refused: HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}
