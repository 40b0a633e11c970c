// The UI's one typed door to the engine worker: commands out (each answered by a `reply` with
// the same requestId), state and warnings in. No protocol logic lives here, only bookkeeping:
// the torrents' model, merged from `state` updates that carry only what changed.
import type { FilePriority } from '../worker/torrent/file-selection.ts';
import type { EncryptionMode } from '../worker/peer/encryption-mode.ts';
import type { LimitSettings, TorrentLimits } from '../worker/rate-limit/limit-settings.ts';
import type {
  FileInfo, FileProgress, LinkStatus, PeerInfo, StateUpdate, StorageStatus, TorrentDetails, TorrentMetadata, TorrentStats,
  TrackerInfo, WorkerCommand, WorkerEvent,
} from '../worker/protocol.ts';

/** What EngineClient needs of a Worker (a fake in tests and in the dev preview). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: Event) => void): void;
}

/** A file as the UI shows it: the torrent's description and, once known, its progress. */
export type FileView = FileInfo & Omit<FileProgress, 'index'>;

/** A torrent as the UI shows it: metadata, list stats and the details last received. */
export interface TorrentView extends Omit<TorrentMetadata, 'files'>, TorrentStats {
  /** The files' progress and choice came from the engine (else they are defaults: all wanted, normal). */
  detailsKnown: boolean;
  files: FileView[];
  peers: PeerInfo[];
  trackers: TrackerInfo[];
  warnings: string[];
  /** Its overrides of the global limits and goals. */
  limits?: TorrentLimits;
  seedingSeconds?: number;
}

export interface EngineState {
  torrents: TorrentView[];
  link: LinkStatus;
  storage?: StorageStatus;
}

export interface EngineWarning {
  /** Increasing, unique per client: a stable key for lists. */
  id: number;
  infoHashHex?: string;
  message: string;
  timeMs: number;
}

export const MAX_WARNINGS = 20;

/** A command without its requestId (the client numbers them). */
type CommandBody<C = WorkerCommand> = C extends WorkerCommand ? Omit<C, 'requestId'> : never;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class EngineClient {
  /** The latest `state` event, undefined until the worker sent one. */
  state: EngineState | undefined;
  /** The last MAX_WARNINGS warnings, oldest first. */
  warnings: readonly EngineWarning[] = [];
  /** Set when the worker itself failed (a script error): the engine is gone. */
  engineError: string | undefined;

  private readonly worker: WorkerLike;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<() => void>();
  private readonly model = new TorrentModel();
  private shownHex: string | undefined;
  private nextRequestId = 1;
  private nextWarningId = 1;

  constructor(worker: WorkerLike) {
    this.worker = worker;
    worker.addEventListener('message', this.onMessage);
    worker.addEventListener('error', this.onError);
  }

  /** Calls `listener` after every state, warning or engine error. Returns the unsubscriber. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** `askFirst`: the torrent waits in 'choosing' once its files are known, until `startTorrent`. */
  addTorrentFile(bytes: Uint8Array, fileName?: string, askFirst = false): Promise<unknown> {
    // Transfer, not copy; a view on part of a buffer (or a shared one) is copied out first.
    const own = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && bytes.byteLength === bytes.buffer.byteLength
      ? bytes : bytes.slice();
    return this.send({ type: 'add-torrent-file', bytes: own, fileName, askFirst }, [own.buffer as ArrayBuffer]);
  }

  addTorrentUrl(url: string, askFirst = false): Promise<unknown> {
    return this.send({ type: 'add-torrent-url', url, askFirst });
  }

  /** Starts a 'choosing' torrent with a priority for every file, by index (padding files included). */
  startTorrent(infoHashHex: string, priorities: FilePriority[]): Promise<unknown> {
    return this.send({ type: 'start-torrent', infoHashHex, priorities });
  }

  setFilePriority(infoHashHex: string, fileIndex: number, priority: FilePriority): Promise<unknown> {
    return this.send({ type: 'set-file-priority', infoHashHex, fileIndex, priority });
  }

  /** A played file's bytes per second (its length over its duration): the engine's read-ahead. */
  streamBitrate(infoHashHex: string, fileIndex: number, bytesPerSecond: number): Promise<unknown> {
    return this.send({ type: 'stream-bitrate', infoHashHex, fileIndex, bytesPerSecond });
  }

  /** Global rate limits, upload slots and seeding goals. */
  setLimits(limits: LimitSettings): Promise<unknown> {
    return this.send({ type: 'set-limits', limits });
  }

  /** A torrent's overrides of those (absent fields: the global ones). */
  setTorrentLimits(infoHashHex: string, limits: TorrentLimits): Promise<unknown> {
    return this.send({ type: 'set-torrent-limits', infoHashHex, limits });
  }

  /** Peer encryption for new connections. */
  setEncryption(mode: EncryptionMode): Promise<unknown> {
    return this.send({ type: 'set-encryption', mode });
  }

  setSequential(infoHashHex: string, sequential: boolean): Promise<unknown> {
    return this.send({ type: 'set-sequential', infoHashHex, sequential });
  }

  pause(infoHashHex: string): Promise<unknown> {
    return this.send({ type: 'pause', infoHashHex });
  }

  resume(infoHashHex: string): Promise<unknown> {
    return this.send({ type: 'resume', infoHashHex });
  }

  remove(infoHashHex: string): Promise<unknown> {
    return this.send({ type: 'remove', infoHashHex });
  }

  selectFile(infoHashHex: string, fileIndex: number, selected: boolean): Promise<unknown> {
    return this.send({ type: 'select-file', infoHashHex, fileIndex, selected });
  }

  async fileBlob(infoHashHex: string, fileIndex: number): Promise<Blob> {
    const value = await this.send({ type: 'file-blob', infoHashHex, fileIndex });
    if (!(value instanceof Blob)) throw new Error('the engine answered without the file’s data');
    return value;
  }

  /** The torrent whose details (files, peers, trackers) the UI shows: they come with each state. */
  showTorrent(infoHashHex: string | undefined): void {
    if (infoHashHex === this.shownHex) return;
    this.shownHex = infoHashHex;
    this.send({ type: 'show-torrent', infoHashHex }).catch(() => { /* the engine is gone: nothing to show */ });
  }

  /** Stops the engine for good (another tab takes it over); resolves once its records are saved. */
  shutdown(): Promise<unknown> {
    return this.send({ type: 'shutdown' });
  }

  /** Stops listening; pending commands fail. */
  dispose(): void {
    this.worker.removeEventListener('message', this.onMessage);
    this.worker.removeEventListener('error', this.onError);
    for (const pending of this.pending.values()) pending.reject(new Error('the engine was closed'));
    this.pending.clear();
    this.listeners.clear();
  }

  private send(body: CommandBody, transfer: Transferable[] = []): Promise<unknown> {
    if (this.engineError !== undefined) return Promise.reject(new Error(`the engine stopped: ${this.engineError}`));
    const requestId = this.nextRequestId++;
    const command = { ...body, requestId } as WorkerCommand;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      try {
        this.worker.postMessage(command, transfer);
      } catch (error) {
        this.pending.delete(requestId);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private readonly onMessage = (event: Event): void => {
    const message = (event as MessageEvent).data as WorkerEvent | undefined;
    if (!message || typeof message !== 'object') return;
    switch (message.type) {
      case 'reply': {
        const pending = this.pending.get(message.requestId);
        if (!pending) return;
        this.pending.delete(message.requestId);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new Error(message.error));
        return;
      }
      case 'state':
        this.model.merge(message);
        this.state = { torrents: this.model.list, link: message.link, storage: message.storage };
        this.notify();
        return;
      case 'warning':
        this.addWarning(message.message, message.infoHashHex);
        return;
      default:
        // link-lost / link-up are for the main thread's LinkManager, which listens itself.
        return;
    }
  };

  private readonly onError = (event: Event): void => {
    this.engineError = (event as ErrorEvent).message || 'the engine worker failed to start';
    for (const pending of this.pending.values()) pending.reject(new Error(`the engine stopped: ${this.engineError}`));
    this.pending.clear();
    this.notify();
  };

  private addWarning(message: string, infoHashHex?: string): void {
    const warning: EngineWarning = { id: this.nextWarningId++, infoHashHex, message, timeMs: Date.now() };
    this.warnings = [...this.warnings, warning].slice(-MAX_WARNINGS);
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

interface Entry {
  metadata: TorrentMetadata;
  stats?: TorrentStats;
  /** The last details received (current while the torrent is shown). */
  details?: TorrentDetails;
  /** Built when first needed after a change; unchanged torrents keep theirs (Lit sees no change). */
  view?: TorrentView;
}

/** The torrents, merged from updates: metadata once, stats when changed, details for the one shown. */
class TorrentModel {
  list: TorrentView[] = [];
  private readonly entries = new Map<string, Entry>();
  private order: string[] = [];

  merge(update: StateUpdate): void {
    for (const hex of update.removed) this.entries.delete(hex);
    // New metadata (a magnet's arrived) makes its old details meaningless; its stats come along.
    for (const metadata of update.metadata) this.entries.set(metadata.infoHashHex, { metadata, stats: this.entries.get(metadata.infoHashHex)?.stats });
    for (const stats of update.stats) this.change(stats.infoHashHex, (entry) => { entry.stats = stats; });
    if (update.details) this.change(update.details.infoHashHex, (entry) => { entry.details = update.details; });
    const order = update.order ?? [...this.order.filter((hex) => this.entries.has(hex)), ...update.metadata.map((m) => m.infoHashHex)];
    this.order = [...new Set(order)];
    this.list = this.order.flatMap((hex) => {
      const entry = this.entries.get(hex);
      return entry ? viewOf(entry) : [];
    });
  }

  private change(hex: string, apply: (entry: Entry) => void): void {
    const entry = this.entries.get(hex);
    if (!entry) return;
    apply(entry);
    entry.view = undefined;
  }
}

function viewOf(entry: Entry): TorrentView[] {
  if (!entry.stats) return [];
  entry.view ??= buildView(entry.metadata, entry.stats, entry.details);
  return [entry.view];
}

function buildView(metadata: TorrentMetadata, stats: TorrentStats, details: TorrentDetails | undefined): TorrentView {
  const files = metadata.files.map((file): FileView => {
    const progress = details?.files[file.index];
    const known = progress?.index === file.index ? progress : undefined;
    return { ...file, doneBytes: known?.doneBytes ?? 0, selected: known?.selected ?? true, priority: known?.priority ?? 'normal' };
  });
  return {
    ...metadata, ...stats, detailsKnown: details !== undefined, files,
    peers: details?.peers ?? [], trackers: details?.trackers ?? [], warnings: details?.warnings ?? [],
    limits: details?.limits ?? {}, seedingSeconds: details?.seedingSeconds ?? 0,
  };
}
