// Opening a relayed stream (TCP_OPEN, UTP_OPEN): policy check, connect with a timeout, then OPENED
// and a relayed TcpStream. Until the connection is up this object stands in for the stream in the
// session's table, so a CLOSE from the tab or the end of the session can cancel it. The transport
// differs only in its Dialer.
import { ErrorCode, FrameType } from '../../shared/bridge/frames.ts';
import { PolicyError, type Policy } from '../policy.ts';
import type { RelayStream, StreamHost } from './stream-host.ts';
import { GATEWAY_STREAM_WINDOW, TcpStream, type PeerSocket } from './tcp-stream.ts';

export const CONNECT_TIMEOUT_MS = 10_000;

/** A refusal known before any packet is sent (a limit, say), with its bridge error code. */
export class DialRefused extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

export interface Dialer {
  /** How errors name the transport: "connect to …" or "uTP connect to …". */
  readonly verb: string;
  /** Starts connecting; emits 'connect' or 'error'. Throws DialRefused for immediate refusals. */
  dial(address: string, port: number): PeerSocket;
  /** The bridge error code and text for a connection error. */
  describeError(err: NodeJS.ErrnoException): { code: number; text: string };
}

export interface OpenTarget {
  host: string;
  port: number;
  window: number;
}

export class StreamOpen implements RelayStream {
  private socket: PeerSocket | null = null;
  private stream: TcpStream | null = null;
  private cancelled = false;
  private timer: NodeJS.Timeout | null = null;
  /** DATA the tab sent before OPENED reached it (allowed, but unusual). */
  private early: Uint8Array[] = [];

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    private readonly target: OpenTarget,
    policy: Policy,
    private readonly dialer: Dialer,
  ) {
    this.timer = setTimeout(() => this.fail(ErrorCode.TIMEOUT, `${dialer.verb} ${this.describe()} timed out after ${CONNECT_TIMEOUT_MS / 1000} s`), CONNECT_TIMEOUT_MS);
    policy.resolve(target.host, target.port, host).then(
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
    let socket: PeerSocket;
    try {
      socket = this.dialer.dial(address, this.target.port);
    } catch (err) {
      if (!(err instanceof DialRefused)) throw err;
      return this.fail(err.code, err.message);
    }
    this.socket = socket;
    socket.once('connect', () => this.connected(socket));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (this.stream) return;
      const { code, text } = this.dialer.describeError(err);
      this.fail(code, `${this.dialer.verb} ${this.describe()} failed: ${text}`);
    });
  }

  private connected(socket: PeerSocket): void {
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
