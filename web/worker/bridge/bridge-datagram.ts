import { FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import type { Datagram, DatagramSocket } from '../transport.ts';

/** The tab's UDP socket at the gateway (one serves the DHT and UDP trackers). */
export class BridgeDatagramSocket implements DatagramSocket {
  onMessage: (datagram: Datagram) => void = () => {};
  private closed = false;

  constructor(
    private readonly id: number,
    readonly port: number,
    private readonly bridge: { send(frame: Frame): void },
    private readonly onClosed: () => void,
  ) {}

  send(host: string, port: number, bytes: Uint8Array): void {
    if (this.closed) return;
    this.bridge.send({ type: FrameType.UDP_SEND, id: this.id, host, port, bytes });
  }

  receive(host: string, port: number, bytes: Uint8Array): void {
    if (!this.closed) this.onMessage({ host, port, bytes });
  }

  close(): void {
    if (this.closed) return;
    this.bridge.send({ type: FrameType.CLOSE, id: this.id, reason: '' });
    this.closeLocally();
  }

  closeLocally(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}
