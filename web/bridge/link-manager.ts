// The main thread's side of the gateway link. A worker has no RTCPeerConnection, so WebRTC is
// negotiated here and the data channel is transferred into the engine worker before it opens;
// the WebSocket link the worker opens itself. When WebRTC cannot connect, the WebSocket takes
// over; when a link drops, it reconnects with back-off.
import { negotiateWebRtc, signalUrl, type WebRtcNegotiation, type WebSocketConstructor } from './signaling.ts';
import { forwardChannel } from './port-forwarder.ts';
import { ErrorCode } from '../../shared/bridge/frames.ts';
import type { LinkPreference, LinkStatus, WorkerEvent, WorkerLinkMessage } from '../worker/protocol.ts';

const WEBRTC_CONNECT_TIMEOUT_MS = 12_000;
const MAX_BACKOFF_MS = 15_000;

export class LinkManager {
  private negotiation?: WebRtcNegotiation;
  private attempt = 0;
  private fallbackTimer?: ReturnType<typeof setTimeout>;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private currentKind?: LinkPreference;
  /** The worker reported the current link working. */
  private up = false;

  constructor(
    private readonly worker: Worker,
    private readonly gatewayUrl: string,
    private preference: LinkPreference,
    private transferChannels = true,
  ) {
    worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => this.onWorkerEvent(event.data));
  }

  start(): void {
    this.connect(this.preference);
  }

  /** Stops connecting (the gateway no longer knows this page): no retries until start(). */
  stop(): void {
    clearTimeout(this.retryTimer);
    this.post({ type: 'link-close' });
    this.teardown();
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
    this.up = false;
    this.currentKind = kind;
    this.hint({ state: 'connecting', kind, fellBack });
    if (kind === 'websocket') {
      this.post({ type: 'link-websocket', url: signalUrl(this.gatewayUrl, 'websocket') });
      return;
    }
    try {
      const negotiation = negotiateWebRtc({ gatewayUrl: this.gatewayUrl, WebSocketImpl: WebSocket as unknown as WebSocketConstructor });
      this.negotiation = negotiation;
      const channel = negotiation.channel as unknown as RTCDataChannel;
      this.handOver(channel);
      // Only failures count here: a transferred channel never reports "connected" on this thread.
      negotiation.connected.catch(() => { if (this.negotiation === negotiation && !this.up) this.webRtcFailed(); });
    } catch {
      return this.webRtcFailed();
    }
    // Connected means the worker says so (it owns the channel now); fall back if it never does.
    this.fallbackTimer = setTimeout(() => this.webRtcFailed(), WEBRTC_CONNECT_TIMEOUT_MS);
  }

  /**
   * Gives the data channel to the engine worker: transferred where the browser allows it
   * (Chromium does), else forwarded through a MessagePort. `?transfer=0` forces the latter.
   */
  private handOver(channel: RTCDataChannel): void {
    if (this.transferChannels) {
      try {
        this.worker.postMessage({ type: 'link-datachannel', channel } satisfies WorkerLinkMessage, [channel as unknown as Transferable]);
        return;
      } catch {
        this.transferChannels = false; // DataCloneError: this browser cannot transfer channels
      }
    }
    const port = forwardChannel(channel);
    this.worker.postMessage({ type: 'link-port', port, kind: 'webrtc' } satisfies WorkerLinkMessage, [port]);
  }

  private webRtcFailed(): void {
    if (this.currentKind !== 'webrtc' || this.up) return;
    this.teardown();
    this.post({ type: 'link-close' });
    this.connect('websocket', true);
  }

  private onWorkerEvent(event: WorkerEvent): void {
    if (event.type === 'link-up') {
      clearTimeout(this.fallbackTimer);
      this.negotiation?.settle();
      this.up = true;
      this.attempt = 0;
    } else if (event.type === 'link-lost') {
      this.up = false;
      if (event.code === ErrorCode.UNAUTHORIZED) return this.teardown(); // a missing sign-in will not get better
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
