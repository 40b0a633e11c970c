// The service worker's end of the engine's port: requests by id, answered by the engine worker
// of whichever tab runs the engine (web/worker/stream/stream-server.ts). The service worker has
// no port when it starts (it is stopped when idle and loses it) or when the engine moves to
// another tab: it then asks every window, and the engine's page offers a new port. Requests still
// unanswered are sent again on the new port.
import type { StreamFileInfo, StreamReply, StreamRequest } from './stream-messages.ts';

type StreamQuery = StreamRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class EnginePortError extends Error {
  constructor(readonly status: 404 | 500 | 503, message: string) {
    super(message);
  }
}

interface Pending {
  message: StreamRequest;
  resolve: (reply: StreamReply) => void;
}

/** How long a file lookup may take before the port is taken for dead and a new one asked for. */
const LOOKUP_TIMEOUT_MS = 3000;
/** How long to wait for any tab to offer a port before answering 503. */
const NO_ENGINE_TIMEOUT_MS = 8000;

export class EnginePort {
  private port: MessagePort | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private portWaiters: (() => void)[] = [];

  /** `askForPort` reaches every window (clients.matchAll + postMessage). */
  constructor(private readonly askForPort: () => void) {}

  /** A window offered the engine's port: use it, and send what is still unanswered on it. */
  offer(port: MessagePort): void {
    this.port?.close();
    this.port = port;
    port.onmessage = (event: MessageEvent<StreamReply>) => this.answered(event.data);
    port.start();
    for (const { message } of this.pending.values()) port.postMessage(message);
    const waiters = this.portWaiters;
    this.portWaiters = [];
    for (const wake of waiters) wake();
  }

  /** The file's length and path; throws EnginePortError (404 unknown file, 503 no engine). */
  async file(infoHashHex: string, fileIndex: number): Promise<StreamFileInfo> {
    for (let attempt = 0; ; attempt++) {
      await this.havePort();
      const reply = await this.send({ type: 'file', infoHashHex, fileIndex }, LOOKUP_TIMEOUT_MS);
      if (reply?.type === 'file') return reply.file;
      if (reply?.type === 'error') throw new EnginePortError(reply.status, reply.message);
      // No answer: the engine's tab went away or moved. Forget the port and ask again, once.
      this.dropPort();
      if (attempt > 0) throw new EnginePortError(503, 'no tab of TabTorrent runs the engine');
    }
  }

  /** The next bytes of a reader's range (one piece at most); waits as long as the download does. */
  async read(query: Omit<Extract<StreamRequest, { type: 'read' }>, 'id'>): Promise<Uint8Array> {
    await this.havePort();
    const reply = await this.send(query);
    if (reply?.type === 'data') return new Uint8Array(reply.bytes);
    if (reply?.type === 'error') throw new EnginePortError(reply.status, reply.message);
    throw new EnginePortError(500, 'unexpected reply from the engine');
  }

  closeReader(readerId: string, infoHashHex: string): void {
    this.port?.postMessage({ type: 'close-reader', readerId, infoHashHex } satisfies StreamRequest);
  }

  private send(query: StreamQuery, timeoutMs?: number): Promise<StreamReply | undefined> {
    const id = this.nextId++;
    const message = { ...query, id } as StreamRequest;
    return new Promise((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
      }, timeoutMs);
      this.pending.set(id, { message, resolve: (reply) => { clearTimeout(timer); resolve(reply); } });
      this.port?.postMessage(message);
    });
  }

  private answered(reply: StreamReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    pending.resolve(reply);
  }

  private dropPort(): void {
    this.port?.close();
    this.port = undefined;
  }

  private havePort(): Promise<void> {
    if (this.port) return Promise.resolve();
    this.askForPort();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.portWaiters = this.portWaiters.filter((wake) => wake !== done);
        reject(new EnginePortError(503, 'no tab of TabTorrent runs the engine'));
      }, NO_ENGINE_TIMEOUT_MS);
      const done = () => { clearTimeout(timer); resolve(); };
      this.portWaiters.push(done);
    });
  }
}
