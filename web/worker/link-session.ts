// The worker's end of the gateway link: turns a transferred data channel or a WebSocket URL into a
// BridgeClient, says HELLO, hands it to the engine, and reports the link's life to the UI.
import { BridgeClient } from './bridge/bridge-client.ts';
import { DataChannelLink, type DataChannelLike } from '../links/datachannel-link.ts';
import { WebSocketLink, openWebSocketAt, type WebSocketConstructor } from '../links/websocket-link.ts';
import type { FrameLink } from '../links/frame-link.ts';
import { PortLink } from '../links/port-link.ts';
import type { Engine } from './engine.ts';
import type { LinkPreference, LinkStatus, WorkerEvent, WorkerLinkMessage } from './protocol.ts';
import { ErrorCode } from '../../shared/bridge/frames.ts';
import { TransportError, type Transport } from './transport.ts';

const OPEN_TIMEOUT_MS = 12_000;

export class LinkSession {
  status: LinkStatus = { state: 'idle' };
  private client?: BridgeClient;
  private generation = 0;
  private restored = false;
  private fellBack = false;

  constructor(private readonly engine: Engine, private readonly post: (event: WorkerEvent) => void) {}

  get transport(): Transport {
    if (!this.client) throw new Error('Not connected to the gateway yet: wait for the connection, then try again.');
    return this.client;
  }

  /** Resolves when the frames sent so far have left this side of the link (or after timeoutMs). */
  whenSent(timeoutMs: number): Promise<void> {
    return this.client?.whenSent(timeoutMs) ?? Promise.resolve();
  }

  handle(message: WorkerLinkMessage): void {
    switch (message.type) {
      case 'link-status-hint':
        this.fellBack = message.status.fellBack ?? false;
        if (this.status.state !== 'connected' || message.status.state === 'connecting') this.status = message.status;
        return;
      case 'link-close':
        return this.drop();
      case 'link-datachannel':
        return void this.open('webrtc', () => openChannel(message.channel as unknown as DataChannelLike));
      case 'link-websocket':
        return void this.open('websocket', async () =>
          new WebSocketLink(await openWebSocketAt(message.url, WebSocket as unknown as WebSocketConstructor, OPEN_TIMEOUT_MS)));
      case 'link-port':
        return void this.open(message.kind, async () => new PortLink(message.port, message.kind));
    }
  }

  private async open(kind: LinkPreference, connect: () => Promise<FrameLink>): Promise<void> {
    this.drop();
    const generation = ++this.generation;
    this.status = { state: 'connecting', kind, fellBack: this.fellBack };
    let client: BridgeClient;
    try {
      client = new BridgeClient(await connect());
      await client.hello();
    } catch (error) {
      if (generation !== this.generation) return;
      const code = error instanceof TransportError ? error.code : undefined;
      this.status = { state: code === ErrorCode.UNAUTHORIZED ? 'unauthorized' : 'disconnected', kind, error: (error as Error).message };
      this.post({ type: 'link-lost', reason: (error as Error).message, code, kind });
      return;
    }
    if (generation !== this.generation) return client.close();
    this.client = client;
    client.onClose = (reason) => this.lost(generation, kind, reason ?? 'the link closed');
    this.status = { state: 'connected', kind, fellBack: this.fellBack };
    this.post({ type: 'link-up', kind });
    await this.engine.setTransport(client);
    if (!this.restored) {
      this.restored = true;
      await this.engine.restore();
    }
  }

  private lost(generation: number, kind: LinkPreference, reason: string): void {
    if (generation !== this.generation) return;
    this.client = undefined;
    this.engine.linkLost();
    this.status = { state: 'disconnected', kind, error: reason };
    this.post({ type: 'link-lost', reason, kind });
  }

  private drop(): void {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    client?.close();
  }
}

function openChannel(channel: DataChannelLike): Promise<FrameLink> {
  const link = new DataChannelLink(channel);
  if (channel.readyState === 'open') return Promise.resolve(link);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the WebRTC data channel did not open')), OPEN_TIMEOUT_MS);
    (channel as unknown as { onopen: () => void }).onopen = () => { clearTimeout(timer); resolve(link); };
    link.onClose = (reason) => { clearTimeout(timer); reject(new Error(reason ?? 'the data channel closed')); };
  });
}
