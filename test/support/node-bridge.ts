// Connects the engine, running in Node, to a gateway exactly as a tab does: signaling over the
// gateway's WebSocket, then a WebRTC data channel (node-datachannel, ICE bound to 127.0.0.1) or
// the WebSocket itself carrying the bridge frames.
import WebSocket from 'ws';
import { negotiateWebRtc, openWebSocket, type SignalOptions, type WebSocketConstructor } from '../../web/bridge/signaling.ts';
import { BridgeClient } from '../../web/worker/bridge/bridge-client.ts';
import { DataChannelLink } from '../../web/links/datachannel-link.ts';
import { WebSocketLink } from '../../web/links/websocket-link.ts';
import type { LinkKind } from '../../web/links/frame-link.ts';
import { withWebRtcRetries } from './webrtc-retry.ts';

export async function connectBridge(options: { gatewayUrl: string; token: string; link?: LinkKind }): Promise<BridgeClient> {
  const signal = { gatewayUrl: options.gatewayUrl, token: options.token, WebSocketImpl: WebSocket as unknown as WebSocketConstructor };
  const client = options.link === 'websocket'
    ? new BridgeClient(new WebSocketLink(await openWebSocket(signal)))
    : await withWebRtcRetries(() => connectWebRtc(signal));
  await client.hello();
  return client;
}

async function connectWebRtc(signal: SignalOptions): Promise<BridgeClient> {
  const negotiation = negotiateWebRtc({ ...signal, rtcConfig: { bindAddress: '127.0.0.1' } });
  const client = new BridgeClient(new DataChannelLink(negotiation.channel));
  const onClose = client.onClose;
  client.onClose = (reason) => { negotiation.close(); onClose(reason); };
  await negotiation.connected;
  return client;
}
