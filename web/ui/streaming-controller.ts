// Whether files can be played and opened while they download (the service worker is up, the page
// is a secure context): web/stream/streaming-status.ts, wrapped for a Lit host that re-renders
// when it changes.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { onStreamingStatus, streamingStatus, type StreamingStatus } from '../stream/streaming-status.ts';

export class StreamingController implements ReactiveController {
  status: StreamingStatus = streamingStatus();
  private readonly host: ReactiveControllerHost;
  private unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost) {
    this.host = host;
    host.addController(this);
  }

  hostConnected(): void {
    this.status = streamingStatus();
    this.unsubscribe ??= onStreamingStatus(() => {
      this.status = streamingStatus();
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
