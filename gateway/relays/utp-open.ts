// UTP_OPEN: policy check, a uTP connection (BEP 29) through the gateway's endpoint, then OPENED
// and the same relay as TCP (TcpStream over a UtpStream). Mirrors TcpOpen: until the connection is
// up this object stands in for the stream, so a CLOSE from the tab or the session's end cancels it.
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { PolicyError, type Policy } from '../policy.ts';
import { UtpLimitError, type UtpEndpoint } from '../utp/utp-endpoint.ts';
import type { UtpStream } from '../utp/utp-stream.ts';
import type { RelayStream, StreamHost } from './stream-host.ts';
import { CONNECT_TIMEOUT_MS } from './tcp-open.ts';
import { GATEWAY_STREAM_WINDOW, TcpStream } from './tcp-stream.ts';

export class UtpOpen implements RelayStream {
  private socket: UtpStream | null = null;
  private stream: TcpStream | null = null;
  private cancelled = false;
  private timer: NodeJS.Timeout | null = null;
  /** DATA the tab sent before OPENED reached it (allowed, but unusual). */
  private early: Uint8Array[] = [];

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    private readonly target: { host: string; port: number; window: number },
    policy: Policy,
    private readonly endpoint: UtpEndpoint,
  ) {
    this.timer = setTimeout(() => this.fail(ErrorCode.TIMEOUT, `uTP connect to ${this.describe()} timed out after ${CONNECT_TIMEOUT_MS / 1000} s`), CONNECT_TIMEOUT_MS);
    policy.resolve(target.host, target.port).then(
      (resolved) => this.connect(resolved.address),
      (err: unknown) => {
        if (err instanceof PolicyError) this.fail(err.code, err.message);
        else this.fail(ErrorCode.CONNECT_FAILED, String(err));
      },
    );
  }

  private describe(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  private connect(address: string): void {
    if (this.cancelled) return;
    let socket: UtpStream;
    try {
      socket = this.endpoint.connect(address, this.target.port);
    } catch (err) {
      if (!(err instanceof UtpLimitError)) throw err;
      this.fail(err.message.startsWith('too many') ? ErrorCode.LIMIT : ErrorCode.CONNECT_FAILED, err.message);
      return;
    }
    this.socket = socket;
    socket.once('connect', () => this.connected(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (this.stream) return;
      const code = err.code === 'ETIMEDOUT' ? ErrorCode.TIMEOUT : ErrorCode.CONNECT_FAILED;
      this.fail(code, `uTP connect to ${this.describe()} failed: ${err.message}`);
    });
  }

  private connected(socket: UtpStream): void {
    if (this.cancelled) return;
    this.clearTimer();
    this.host.send({ type: FrameType.OPENED, id: this.id, window: GATEWAY_STREAM_WINDOW });
    this.stream = new TcpStream(this.host, this.id, socket, this.target.window);
    for (const bytes of this.early) this.stream.write(bytes);
    this.early = [];
  }

  private fail(code: number, message: string): void {
    if (this.cancelled || this.stream) return;
    this.cancelled = true;
    this.clearTimer();
    this.socket?.destroy();
    this.host.send({ type: FrameType.ERROR, id: this.id, code, message });
    this.host.forget(this.id);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  write(bytes: Uint8Array): void {
    if (this.stream) return this.stream.write(bytes);
    if (this.cancelled) return;
    if (this.bufferedBytes() + bytes.byteLength > GATEWAY_STREAM_WINDOW) {
      this.fail(ErrorCode.CREDIT_OVERRUN, `peer sent more than the ${GATEWAY_STREAM_WINDOW}-byte window before OPENED`);
      return;
    }
    this.early.push(bytes);
  }

  credit(bytes: number): void {
    if (this.stream) this.stream.credit(bytes);
    else this.target.window += bytes;
  }

  closeFromTab(): void {
    if (this.stream) return this.stream.closeFromTab();
    this.cancelled = true;
    this.clearTimer();
    this.socket?.destroy();
    this.host.forget(this.id);
  }

  linkDrained(): void {
    this.stream?.linkDrained();
  }

  destroy(): void {
    this.cancelled = true;
    this.clearTimer();
    if (this.stream) this.stream.destroy();
    else this.socket?.destroy();
  }

  bufferedBytes(): number {
    return this.stream ? this.stream.bufferedBytes() : this.early.reduce((n, b) => n + b.byteLength, 0);
  }
}
