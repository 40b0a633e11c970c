// A TCP socket relayed to the tab as a bridge stream, both directions under credit. Used for
// outbound TCP_OPEN streams and for inbound peers (ACCEPTED); a uTP stream (gateway/utp) behaves
// like a socket and is relayed the same way.
import type { Duplex } from 'node:stream';
import { CreditOverrunError, ReceiveWindow } from '../../shared/bridge/credit.ts';
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { OutboundPump } from './outbound-pump.ts';
import type { RelayStream, StreamHost } from './stream-host.ts';

/** What the relay needs of a socket: a net.Socket, or a UtpStream. */
export interface PeerSocket extends Duplex {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  setNoDelay(noDelay?: boolean): unknown;
  setTimeout(timeoutMs: number, callback?: () => void): unknown;
}

/** The receive window the gateway grants the tab per stream (tab → remote bytes in flight). */
export const GATEWAY_STREAM_WINDOW = 256 * 1024;

export class TcpStream implements RelayStream {
  private readonly pump: OutboundPump;
  private readonly window = new ReceiveWindow(GATEWAY_STREAM_WINDOW);
  private done = false;
  private remoteEnded = false;

  /**
   * `socket` must be connected. `tabWindow` is the credit the tab granted; `firstBytes` (an
   * inbound handshake already read) go out first.
   */
  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    private readonly socket: PeerSocket,
    tabWindow: number,
    firstBytes?: Uint8Array,
  ) {
    this.pump = new OutboundPump(host, id, tabWindow);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    if (firstBytes) this.pump.push(firstBytes);
    this.pump.attach(socket);
    socket.on('data', (chunk: Buffer) => this.pump.push(chunk));
    socket.on('end', () => {
      this.remoteEnded = true;
      this.pump.end(() => this.finish({ type: FrameType.CLOSE, id, reason: 'remote closed' }));
    });
    socket.on('error', (err: NodeJS.ErrnoException) =>
      this.finish({ type: FrameType.ERROR, id, code: ErrorCode.RESET, message: `connection error: ${err.code ?? err.message}` }),
    );
    // After 'end', CLOSE waits for the pump to deliver what is still pending.
    socket.on('close', () => {
      if (!this.remoteEnded) this.finish({ type: FrameType.CLOSE, id, reason: 'connection closed' });
    });
  }

  write(bytes: Uint8Array): void {
    if (this.done) return;
    try {
      this.window.received(bytes.byteLength);
    } catch (err) {
      if (!(err instanceof CreditOverrunError)) throw err;
      this.finish({ type: FrameType.ERROR, id: this.id, code: ErrorCode.CREDIT_OVERRUN, message: err.message });
      return;
    }
    // The callback fires once the bytes are handed to the kernel: only then is credit returned,
    // so a slow remote peer bounds what the gateway holds for it.
    this.socket.write(bytes, (err) => {
      if (err || this.done) return;
      const grant = this.window.consumed(bytes.byteLength);
      if (grant > 0) this.host.send({ type: FrameType.CREDIT, id: this.id, bytes: grant });
    });
  }

  credit(bytes: number): void {
    if (!this.done) this.pump.addCredit(bytes);
  }

  linkDrained(): void {
    if (!this.done) this.pump.linkDrained();
  }

  closeFromTab(): void {
    if (this.done) return;
    this.done = true;
    this.pump.stop();
    this.host.forget(this.id);
    // Let written bytes flush, then make sure the socket goes away.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 5000).unref();
  }

  destroy(): void {
    this.done = true;
    this.pump.stop();
    this.socket.destroy();
  }

  bufferedBytes(): number {
    if (this.done) return 0;
    return this.pump.buffered + this.socket.writableLength + this.socket.readableLength;
  }

  /** Ends the stream from the gateway side: one frame to the tab, then the socket goes. */
  private finish(frame: Parameters<StreamHost['send']>[0]): void {
    if (this.done) return;
    this.done = true;
    this.pump.stop();
    this.host.send(frame);
    this.host.forget(this.id);
    this.socket.destroy();
  }
}
