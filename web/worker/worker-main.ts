// The engine worker: owns the gateway link (a transferred data channel or its own WebSocket), the
// engine and the IndexedDB store, and talks to the UI only through protocol.ts messages.
/// <reference lib="webworker" />
import { Engine } from './engine.ts';
import { IdbPieceStore } from './idb-piece-store.ts';
import { IdbDhtStateStore } from './dht/idb-dht-state.ts';
import { fileBlob } from './file-export.ts';
import { checkSpace, storageStatus } from './storage-space.ts';
import { LinkSession } from './link-session.ts';
import type { StorageStatus, WorkerCommand, WorkerEvent, WorkerRequest } from './protocol.ts';
import { addFromUrl } from './add-from-url.ts';
import { StatePoster } from './state/state-poster.ts';
import { listTorrents } from './state/state-views.ts';
import { parseHostPort } from '../../shared/host-port.ts';
import { serveStreams } from './stream/stream-server.ts';

declare const self: DedicatedWorkerGlobalScope;

const STATE_INTERVAL_MS = 500;
const STORAGE_INTERVAL_MS = 5000;
/** As long as the closing page holds for us (web/page-hide.ts). */
const PAGE_HIDE_SEND_MS = 250;

const post = (event: WorkerEvent) => self.postMessage(event);
const store = new IdbPieceStore();
const engine = new Engine({
  store,
  dhtState: new IdbDhtStateStore(),
  checkSpace: (bytes) => checkSpace(bytes),
  onWarning: (infoHashHex, message) => post({ type: 'warning', infoHashHex, message }),
  onCompleted: () => postState(),
  onMetadata: () => postState(),
});
const link = new LinkSession(engine, post);
const statePoster = new StatePoster();
let storage: StorageStatus | undefined;

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'link-datachannel':
    case 'link-websocket':
    case 'link-port':
    case 'link-close':
    case 'link-status-hint':
      return link.handle(message);
    case 'page-hide':
      return void pageHidden(message.sent);
    case 'stream-port':
      return serveStreams(message.port, engine);
    default:
      return void answer(message);
  }
};

async function answer(command: WorkerCommand): Promise<void> {
  try {
    post({ type: 'reply', requestId: command.requestId, ok: true, value: await run(command) });
  } catch (error) {
    post({ type: 'reply', requestId: command.requestId, ok: false, error: (error as Error).message ?? String(error) });
  }
}

async function run(command: WorkerCommand): Promise<unknown> {
  switch (command.type) {
    case 'add-torrent-file': return engine.addTorrentFile(command.bytes, { askFirst: command.askFirst });
    case 'add-torrent-url': return addFromUrl(engine, () => link.transport, command.url, { askFirst: command.askFirst });
    case 'start-torrent': return engine.startTorrent(command.infoHashHex, command.priorities);
    case 'set-file-priority': return engine.setFilePriority(command.infoHashHex, command.fileIndex, command.priority);
    case 'set-sequential': return engine.setSequential(command.infoHashHex, command.sequential);
    case 'stream-bitrate': return engine.get(command.infoHashHex)?.readers.setBitrate(command.fileIndex, command.bytesPerSecond);
    case 'pause': return engine.pause(command.infoHashHex);
    case 'resume': return engine.resume(command.infoHashHex);
    case 'remove': return engine.remove(command.infoHashHex);
    case 'select-file': return engine.selectFile(command.infoHashHex, command.fileIndex, command.selected);
    case 'show-torrent':
      statePoster.show(command.infoHashHex);
      return postState(); // its details at once, not at the next refresh
    case 'file-blob': {
      const torrent = engine.get(command.infoHashHex);
      if (!torrent) throw new Error('That torrent is no longer in the list.');
      return fileBlob(torrent.meta, store, command.fileIndex);
    }
    case 'set-limits': return engine.setLimits(command.limits);
    case 'set-torrent-limits': return engine.setTorrentLimits(command.infoHashHex, command.limits);
    case 'set-encryption': return engine.setEncryption(command.mode);
    case 'shutdown':
      await engine.shutdown();
      return link.handle({ type: 'link-close' });
  }
}

/**
 * The page is going. Every torrent stops at once (engine.shutdown stops them before it awaits
 * anything), so their `stopped` announces are the link's last frames; the page, holding its
 * unload, is told when they have left: a closing page takes the data channel down with whatever
 * is still queued in it.
 */
async function pageHidden(sent: Int32Array<SharedArrayBuffer> | undefined): Promise<void> {
  const stopping = engine.shutdown().catch(() => {});
  await link.whenSent(PAGE_HIDE_SEND_MS);
  if (sent) {
    Atomics.store(sent, 0, 1);
    Atomics.notify(sent, 0);
  }
  await stopping;
}

/** What changed since the last post, if anything did. */
function postState(): void {
  const update = statePoster.next(listTorrents(engine), link.status, storage);
  if (update) post(update);
}

async function refreshStorage(): Promise<void> {
  try { storage = await storageStatus(); } catch { /* the API may be missing; nothing to show */ }
}

/** The operator's settings from the gateway that served us (DHT bootstrap nodes). */
async function loadGatewayConfig(): Promise<void> {
  try {
    const response = await fetch(new URL('/config.json', self.location.origin));
    if (!response.ok) return;
    const config = (await response.json()) as { dhtBootstrap?: unknown };
    if (!Array.isArray(config.dhtBootstrap)) return;
    const nodes = config.dhtBootstrap.map((item) => (typeof item === 'string' ? parseHostPort(item) : undefined));
    await engine.configureDht(nodes.filter((node) => node !== undefined));
  } catch { /* no config: the DHT stays off, trackers still work */ }
}

void loadGatewayConfig();
setInterval(postState, STATE_INTERVAL_MS);
setInterval(() => void refreshStorage(), STORAGE_INTERVAL_MS);
void refreshStorage();
