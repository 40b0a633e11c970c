// A raw bridge client for gateway tests: frames over a WebSocket (link=websocket) or any
// message pipe, with a queue to await the next matching frame.
import type WebSocket from 'ws';
import { BRIDGE_VERSION, decodeFrame, encodeFrame, FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import type { RunningGateway } from '../../../gateway/gateway.ts';
import { openSignalSocket } from './signal-socket.ts';

/** What a client needs of a gateway: an in-process one (startGateway) or a process (startGatewayProcess). */
export type GatewayAddress = Pick<RunningGateway, 'port' | 'token'>;

type Waiter = { match: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

export class FrameQueue {
  readonly frames: Frame[] = [];
  private waiters: Waiter[] = [];
  closed = false;

  push(frame: Frame): void {
    const i = this.waiters.findIndex((w) => w.match(frame));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      clearTimeout(w!.timer);
      w!.resolve(frame);
    } else {
      this.frames.push(frame);
    }
  }

  /** The next frame (already queued or future) that matches; removed from the queue. */
  next(match: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`no matching frame within ${timeoutMs} ms; queued: ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      this.waiters.push({ match, resolve, reject, timer });
    });
  }
}

export class WsFrameClient {
  readonly queue = new FrameQueue();
  closeCode: number | null = null;
  private readonly closedPromise: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.queue.push(decodeFrame(new Uint8Array(data))));
    this.closedPromise = new Promise((resolve) => ws.on('close', (code) => {
      this.closeCode = code;
      this.queue.closed = true;
      resolve();
    }));
  }

  static async connect(gateway: GatewayAddress, token = gateway.token): Promise<WsFrameClient> {
    return new WsFrameClient(await openSignalSocket({ port: gateway.port, token }, 'websocket'));
  }

  /** Connects and completes HELLO/WELCOME. */
  static async ready(gateway: GatewayAddress): Promise<WsFrameClient> {
    const client = await WsFrameClient.connect(gateway);
    client.send({ type: FrameType.HELLO, id: 0, version: BRIDGE_VERSION, client: 'test' });
    const welcome = await client.next((f) => f.type === FrameType.WELCOME || f.type === FrameType.ERROR);
    if (welcome.type !== FrameType.WELCOME) throw new Error(`expected WELCOME, got ${JSON.stringify(welcome)}`);
    return client;
  }

  send(frame: Frame): void {
    this.ws.send(encodeFrame(frame));
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  next(match?: (f: Frame) => boolean, timeoutMs?: number): Promise<Frame> {
    return this.queue.next(match, timeoutMs);
  }

  /** Frames for one stream id. */
  nextFor(id: number, timeoutMs?: number): Promise<Frame> {
    return this.queue.next((f) => f.id === id, timeoutMs);
  }

  closed(): Promise<void> {
    return this.closedPromise;
  }

  close(): void {
    this.ws.close();
  }
}

/** Collects DATA for `id` until `count` bytes; skips CREDIT, throws on anything else. */
export async function readBytes(client: { nextFor(id: number, t?: number): Promise<Frame> }, id: number, count: number, timeoutMs = 5000): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  while (total < count) {
    const f = await client.nextFor(id, timeoutMs);
    if (f.type === FrameType.CREDIT) continue;
    if (f.type !== FrameType.DATA) throw new Error(`expected DATA on ${id}, got ${JSON.stringify(f)}`);
    parts.push(Buffer.from(f.bytes));
    total += f.bytes.length;
  }
  return Buffer.concat(parts);
}
