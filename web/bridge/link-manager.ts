// The main thread's side of the gateway link. A worker has no RTCPeerConnection, so WebRTC is
// negotiated here and the data channel is transferred into the engine worker before it opens;
// the WebSocket link the worker opens itself. When WebRTC cannot connect, the WebSocket takes
// over; when a link drops, it reconnects with back-off.
import { negotiateWebRtc, signalUrl, type WebRtcNegotiation, type WebSocketConstructor } from './signaling.ts';
import type { LinkPreference, LinkStatus, WorkerEvent, WorkerLinkMessage } from '../worker/protocol.ts';

const WEBRTC_CONNECT_TIMEOUT_MS = 12_000;
const MAX_BACKOFF_MS = 15_000;

export class LinkManager {
  private negotiation?: WebRtcNegotiation;
  private attempt = 0;
  private fallbackTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private currentKind?: LinkPreference;

  constructor(
    private readonly worker: Worker,
    private readonly gatewayUrl: string,
    private readonly token: string,
    private preference: LinkPreference,
  ) {
    worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => this.onWorkerEvent(event.data));
  }

  start(): void {
    this.connect(this.preference);
  }

  /** The user picked another link: drop the current one and connect with the new choice. */
  setPreference(preference: LinkPreference): void {
    this.preference = preference;
    this.post({ type: 'link-close' });
    this.teardown();
    this.attempt = 0;
    this.connect(preference);
  }

  private connect(kind: LinkPreference, fellBack = false): void {
    clearTimeout(this.retryTimer);
    this.currentKind = kind;
    this.hint({ state: 'connecting', kind, fellBack });
    if (kind === 'websocket') {
      this.post({ type: 'link-websocket', url: signalUrl(this.gatewayUrl, this.token, 'websocket'), token: this.token });
      return;
    }
    try {
      const negotiation = negotiateWebRtc({ gatewayUrl: this.gatewayUrl, token: this.token, WebSocketImpl: WebSocket as unknown as WebSocketConstructor });
      this.negotiation = negotiation;
      const channel = negotiation.channel as unknown as RTCDataChannel;
      this.worker.postMessage({ type: 'link-datachannel', channel, token: this.token } satisfies WorkerLinkMessage, [channel as unknown as Transferable]);
      negotiation.connected.catch(() => this.webRtcFailed());
    } catch {
      return this.webRtcFailed();
    }
    // Connected means the worker says so (it owns the channel now); fall back if it never does.
    this.fallbackTimer = setTimeout(() => this.webRtcFailed(), WEBRTC_CONNECT_TIMEOUT_MS);
  }

  private webRtcFailed(): void {
    if (this.currentKind !== 'webrtc') return;
    this.teardown();
    this.post({ type: 'link-close' });
    this.connect('websocket', true);
  }

  private onWorkerEvent(event: WorkerEvent): void {
    if (event.type === 'link-up') {
      clearTimeout(this.fallbackTimer);
      this.attempt = 0;
    } else if (event.type === 'link-lost') {
      if (event.reason === 'unauthorized') return this.teardown(); // a wrong token will not get better
      this.teardown();
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt++);
      this.retryTimer = setTimeout(() => this.connect(this.preference), delay);
    }
  }

  private teardown(): void {
    clearTimeout(this.fallbackTimer);
    this.negotiation?.close();
    this.negotiation = undefined;
  }

  private hint(status: LinkStatus): void {
    this.post({ type: 'link-status-hint', status });
  }

  private post(message: WorkerLinkMessage): void {
    this.worker.postMessage(message);
  }
}
