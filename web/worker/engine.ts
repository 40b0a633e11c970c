import { parseTorrent, type Metainfo } from '../../shared/metainfo/index.ts';
import type { PieceStore, TorrentRecord, TorrentStorage } from './piece-store.ts';
import type { PeerAddress, Transport } from './transport.ts';
import { makePeerId } from './peer-id.ts';
import { ExternalAddress } from './external-address.ts';
import { UdpService } from './udp/udp-service.ts';
import { DhtService } from './dht/dht-service.ts';
import type { DhtStateStore } from './dht/dht-state.ts';
import type { DhtNode } from './dht/dht-node.ts';
import { MetadataFetcher } from './magnet/metadata-fetcher.ts';
import { readMagnet, torrentFromMetadata } from './magnet/pending-magnet.ts';
import type { KnownPeer } from './torrent/swarm.ts';
import { makeTrackers } from './trackers/make-tracker.ts';
import type { MagnetLink } from '../../shared/magnet/index.ts';

/** A magnet link whose metadata is still to be fetched (or paused before it was). */
export interface PendingMagnet {
  uri: string;
  link: MagnetLink & { infoHash: Uint8Array; infoHashHex: string };
  fetcher?: MetadataFetcher;
  addedAt: number;
  /** Once its metadata is here, it waits for the user's choice of files ('choosing'). */
  askFirst: boolean;
  /** Its storage (no pieces yet: only its record), opened when the record is first saved. */
  storage?: TorrentStorage;
}
import { Torrent, type TorrentTotals } from './torrent/torrent.ts';
import { restoreLimitsAndGoals } from './torrent/restore-limits.ts';
import { DEFAULT_ENCRYPTION, type EncryptionMode } from './peer/encryption-mode.ts';
import { prioritiesFromSelectOnly, prioritiesFromSelection, type FilePriority } from './torrent/file-selection.ts';
import { GlobalLimits } from './rate-limit/global-limits.ts';

export interface EngineOptions {
  store: PieceStore;
  /** DHT bootstrap nodes; none (the default) keeps the DHT off. */
  dhtBootstrap?: PeerAddress[];
  /** Where the DHT keeps its node id and routing table between sessions. */
  dhtState?: DhtStateStore;
  /** Checks that a torrent of this many bytes fits; throws a readable error when it does not. */
  checkSpace?: (bytes: number) => Promise<void>;
  onWarning?: (infoHashHex: string, message: string) => void;
  /** A torrent has every wanted piece (the UI shows 100 % at once, not at its next refresh). */
  onCompleted?: (infoHashHex: string) => void;
  /** A magnet link's metadata arrived: its files are known (the UI lists them at once, for Play). */
  onMetadata?: (infoHashHex: string) => void;
  /** Peer encryption (MSE/PE); 'prefer' unless set. Engine.setEncryption changes it later. */
  encryption?: EncryptionMode;
}

export interface AddOptions {
  paused?: boolean;
  addedAt?: number;
  selectedFiles?: boolean[];
  filePriorities?: FilePriority[];
  /** BEP 53 `so`: only these files (by index) are wanted at first. */
  selectOnly?: readonly number[];
  /** Wait in 'choosing' for `startTorrent` (the add dialog) instead of starting. */
  askFirst?: boolean;
  peers?: PeerAddress[];
  /** What a magnet's metadata fetch learned of its peers (transport, seeds), for the torrent's swarm. */
  knownPeers?: readonly KnownPeer[];
}

const RECORD_SAVE_INTERVAL_MS = 2000;

/**
 * All torrents of one tab: adding, persisting, pausing, removing. A torrent lives until it is
 * removed; the gateway link is a live reference its torrents follow as it drops and comes back.
 */
export class Engine {
  readonly peerId = makePeerId();
  /** Our address as peers see it (the gateway's), by their `yourip` votes: for BEP 42 node ids. */
  readonly externalAddress = new ExternalAddress();
  /** Global rate limits, upload slots and seeding goals (the page's settings, `setLimits`). */
  readonly limits = new GlobalLimits();
  private readonly torrents = new Map<string, Torrent>();
  private readonly magnets = new Map<string, PendingMagnet>();
  private transport?: Transport & { peerPort?: number };
  private udp?: UdpService;
  private readonly dht: DhtService;
  private readonly dirty = new Set<string>();
  /**
   * Each torrent's storage handle, and what its record keeps besides its live state: its .torrent
   * bytes and when it was added.
   */
  private readonly records = new Map<string, { storage: TorrentStorage; torrentBytes: Uint8Array; addedAt: number }>();
  private saveTimer?: ReturnType<typeof setTimeout>;
  private encryption: EncryptionMode;

  constructor(private readonly options: EngineOptions) {
    this.encryption = options.encryption ?? DEFAULT_ENCRYPTION;
    this.dht = new DhtService(options.dhtState, (voter, address) => this.externalAddress.vote(voter, address));
    // BEP 42: the DHT's node id follows our external address.
    this.externalAddress.onChange = (address) => void this.dht.setExternalAddress(address);
    if (options.dhtBootstrap) void this.dht.configure(options.dhtBootstrap);
  }

  /** Turns the DHT on (or off, with no nodes); it runs whenever the gateway link is up. */
  /** Peer encryption for new connections from now on (connections already up keep theirs). */
  setEncryption(mode: EncryptionMode): void {
    this.encryption = mode;
  }

  /** New global limits and goals (a LimitError, nothing applied, when one is invalid); torrents follow at once. */
  setLimits(settings: unknown): void {
    this.limits.set(settings);
    for (const torrent of this.torrents.values()) torrent.limitsChanged();
  }

  /** A torrent's overrides of the global limits and goals (absent fields: the global ones); kept in its record. */
  async setTorrentLimits(infoHashHex: string, limits: unknown): Promise<void> {
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent) throw new Error('No such torrent.');
    torrent.setLimits(limits);
    await this.saveRecord(torrent, torrent.state === 'stopped');
  }

  /** A seeding goal was reached: the torrent pauses, saying why, until the user resumes it. */
  private async seedingGoalReached(torrent: Torrent, reason: string): Promise<void> {
    if (torrent.state !== 'seeding') return;
    torrent.stopReason = reason; // before it stops: the state never shows stopped without its reason
    await torrent.stop();
    await this.saveRecord(torrent, true);
  }

  get encryptionMode(): EncryptionMode {
    return this.encryption;
  }

  /** The DHT node now, if the DHT is on and a link is up (tests read its routing table). */
  get dhtNode(): DhtNode | undefined {
    return this.dht.current;
  }

  configureDht(bootstrap: PeerAddress[]): Promise<void> {
    return this.dht.configure(bootstrap);
  }

  /** Sets (or replaces, after a reconnect) the link to the gateway; running torrents rejoin it. */
  async setTransport(transport: Transport & { peerPort?: number }): Promise<void> {
    this.transport = transport;
    this.udp?.close();
    this.udp = new UdpService(transport);
    void this.dht.restart(this.udp);
    for (const magnet of this.magnets.values()) {
      if (!magnet.fetcher) continue;
      magnet.fetcher.stop();
      magnet.fetcher = undefined;
      this.startMagnet(magnet);
    }
    for (const torrent of this.torrents.values()) await torrent.linkChanged();
  }

  /** The link is gone: torrents keep everything and wait for the next one (setTransport). */
  linkLost(): void {
    this.transport = undefined;
  }

  /** Reloads every torrent stored by an earlier session. */
  async restore(): Promise<void> {
    for (const record of await this.options.store.listRecords()) {
      if (this.torrents.has(record.infoHashHex) || this.magnets.has(record.infoHashHex)) continue;
      try {
        if (record.magnetUri && record.torrentBytes.length === 0) {
          await this.addMagnet(record.magnetUri, { paused: record.paused, addedAt: record.addedAt, askFirst: record.awaitingChoice });
          continue;
        }
        const meta = parseTorrent(record.torrentBytes);
        const storage = await this.options.store.openTorrent(meta.infoHashHex, meta.pieceCount); // knows what is stored
        const priorities = record.filePriorities ?? prioritiesFromSelection(record.selectedFiles, meta.files.length);
        const totals = { downloadedBytes: record.downloadedBytes, uploadedBytes: record.uploadedBytes, wastedBytes: record.wastedBytes ?? 0 };
        const torrent = this.create(meta, storage, record.torrentBytes, priorities, record.addedAt, undefined, totals);
        torrent.awaitingChoice = record.awaitingChoice === true;
        restoreLimitsAndGoals(torrent, record, (message) => this.options.onWarning?.(record.infoHashHex, message));
        if (!record.paused && !torrent.awaitingChoice) await torrent.start();
      } catch (error) {
        this.options.onWarning?.(record.infoHashHex, `could not restore a saved torrent: ${(error as Error).message}`);
      }
    }
  }

  /** Adds a .torrent; throws an Error with a readable message if it is invalid or does not fit. */
  async addTorrentFile(bytes: Uint8Array, options: AddOptions = {}): Promise<string> {
    const meta = parseTorrent(bytes);
    const existing = this.torrents.get(meta.infoHashHex);
    if (existing) return meta.infoHashHex;
    await this.options.checkSpace?.(meta.totalLength);
    const priorities = options.filePriorities
      ?? (options.selectOnly?.length ? prioritiesFromSelectOnly(options.selectOnly, meta.files.length) : undefined)
      ?? prioritiesFromSelection(options.selectedFiles ?? [], meta.files.length);
    const storage = await this.options.store.openTorrent(meta.infoHashHex, meta.pieceCount);
    const torrent = this.create(meta, storage, bytes, priorities, options.addedAt ?? Date.now(), options.peers);
    if (options.knownPeers) torrent.swarm.learn(options.knownPeers); // before start() dials anyone
    torrent.awaitingChoice = options.askFirst === true;
    await this.saveRecord(torrent, options.paused ?? false);
    if (!options.paused && !torrent.awaitingChoice) await torrent.start();
    return meta.infoHashHex;
  }

  /** The user's choice in the add dialog: these priorities (by file index), and it starts. */
  async startTorrent(infoHashHex: string, priorities: readonly FilePriority[]): Promise<void> {
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent) throw new Error('No such torrent.');
    if (priorities.length !== torrent.meta.files.length) throw new Error(`Expected a priority for each of the ${torrent.meta.files.length} files.`);
    priorities.forEach((priority, fileIndex) => torrent.setFilePriority(fileIndex, priority));
    torrent.awaitingChoice = false;
    await this.saveRecord(torrent, false);
    await torrent.start();
  }

  /** In-order downloading for one torrent (streaming a whole file, say). */
  setSequential(infoHashHex: string, sequential: boolean): void {
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent) throw new Error('No such torrent.');
    torrent.setSequential(sequential);
  }

  /**
   * Adds a magnet link: its metadata is fetched from peers (BEP 9) found through its trackers and
   * x.pe peers, then it becomes an ordinary torrent. Returns the info-hash at once.
   */
  async addMagnet(uri: string, options: AddOptions & { addedAt?: number } = {}): Promise<string> {
    const link = readMagnet(uri);
    const hex = link.infoHashHex;
    if (this.torrents.has(hex) || this.magnets.has(hex)) return hex;
    const pending: PendingMagnet = { uri, link, addedAt: options.addedAt ?? Date.now(), askFirst: options.askFirst === true };
    this.magnets.set(hex, pending);
    await this.saveMagnet(pending, options.paused ?? false);
    if (!options.paused) this.startMagnet(pending);
    return hex;
  }

  private startMagnet(pending: PendingMagnet): void {
    if (pending.fetcher || !this.transport) return;
    const hex = pending.link.infoHashHex;
    const fetcher = new MetadataFetcher({
      transport: this.transport, infoHash: pending.link.infoHash, peerId: this.peerId,
      listenPort: () => this.transport?.peerPort ?? 0,
      trackers: makeTrackers(pending.link.trackers, () => this.transport, () => this.udp!),
      dht: () => this.dht.current,
      onWarning: (message) => this.options.onWarning?.(hex, message),
      encryption: () => this.encryption,
    });
    pending.fetcher = fetcher;
    fetcher.addPeers(pending.link.peers.map((p) => ({ host: p.host, port: p.port })));
    fetcher.start();
    void fetcher.done.then(async (info) => {
      if (this.magnets.get(hex) !== pending) return;
      this.magnets.delete(hex);
      pending.storage?.close();
      // The fetcher's peers with what it learned of them (the transport that reached each, seeds):
      // re-learnt from scratch the transport can come out wrong, the peer dropping our new
      // connection while it still holds the fetcher's closing one.
      const knownPeers = fetcher.swarm.knownPeers();
      await this.addTorrentFile(torrentFromMetadata(info, pending.link.trackers), {
        knownPeers, addedAt: pending.addedAt, askFirst: pending.askFirst, selectOnly: pending.link.selectOnly,
      });
      this.options.onMetadata?.(hex);
    }).catch((error: Error) => this.options.onWarning?.(hex, `the torrent from this magnet link could not start: ${error.message}`));
  }

  get(infoHashHex: string): Torrent | undefined {
    return this.torrents.get(infoHashHex);
  }

  list(): Torrent[] {
    return [...this.torrents.values()];
  }

  /** Magnet links waiting for their metadata, in the order added. */
  pendingMagnets(): readonly Readonly<PendingMagnet>[] {
    return [...this.magnets.values()];
  }

  async pause(infoHashHex: string): Promise<void> {
    const magnet = this.magnets.get(infoHashHex);
    if (magnet) {
      magnet.fetcher?.stop();
      magnet.fetcher = undefined;
      return this.saveMagnet(magnet, true);
    }
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent) return;
    await torrent.stop();
    await this.saveRecord(torrent, true);
  }

  async resume(infoHashHex: string): Promise<void> {
    const magnet = this.magnets.get(infoHashHex);
    if (magnet) {
      this.startMagnet(magnet);
      return this.saveMagnet(magnet, false);
    }
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent) return;
    if (torrent.awaitingChoice) return this.startTorrent(infoHashHex, torrent.filePriorities);
    if (torrent.state === 'stopped') torrent.resumedByUser();
    torrent.stopReason = undefined;
    await this.saveRecord(torrent, false);
    await torrent.start();
  }

  /** Includes or skips one file; pieces it shares with wanted files are still fetched. */
  async selectFile(infoHashHex: string, fileIndex: number, selected: boolean): Promise<void> {
    const current = this.fileOf(infoHashHex, fileIndex).filePriorities[fileIndex];
    await this.setFilePriority(infoHashHex, fileIndex, !selected ? 'skip' : current === 'skip' ? 'normal' : current!);
  }

  /** Sets one file's priority on the running torrent (skip / low / normal / high); peers stay. */
  async setFilePriority(infoHashHex: string, fileIndex: number, priority: FilePriority): Promise<void> {
    const torrent = this.fileOf(infoHashHex, fileIndex);
    torrent.setFilePriority(fileIndex, priority);
    await this.saveRecord(torrent, torrent.state === 'stopped');
  }

  private fileOf(infoHashHex: string, fileIndex: number): Torrent {
    const torrent = this.torrents.get(infoHashHex);
    if (!torrent || !Number.isInteger(fileIndex) || fileIndex < 0 || fileIndex >= torrent.meta.files.length) throw new Error('No such file in that torrent.');
    return torrent;
  }

  /** Stops the torrent and deletes its pieces and record. */
  async remove(infoHashHex: string): Promise<void> {
    const magnet = this.magnets.get(infoHashHex);
    if (magnet) {
      this.magnets.delete(infoHashHex);
      magnet.fetcher?.stop();
      return (magnet.storage ?? await this.options.store.openTorrent(infoHashHex, 0)).delete();
    }
    const torrent = this.torrents.get(infoHashHex);
    const saved = this.records.get(infoHashHex);
    if (!torrent || !saved) return;
    this.torrents.delete(infoHashHex);
    this.records.delete(infoHashHex);
    this.dirty.delete(infoHashHex);
    torrent.readers.close();
    await torrent.stop();
    await saved.storage.delete();
  }

  /** Stops everything and saves the records (tab closing, tests). */
  /**
   * Stops everything and saves the records. Every torrent stops before anything is awaited, so
   * their `stopped` announces leave at once: a closing page (worker-main's page-hide) cannot wait.
   */
  async shutdown(): Promise<void> {
    clearTimeout(this.saveTimer);
    const torrents = [...this.torrents.values()];
    const paused = torrents.map((torrent) => torrent.state === 'stopped');
    const stopping = torrents.map((torrent) => torrent.stop());
    await Promise.all([this.dht.stop(), ...stopping]);
    await Promise.all(torrents.map((torrent, i) => this.saveRecord(torrent, paused[i]!)));
  }

  private create(
    meta: Metainfo, storage: TorrentStorage, torrentBytes: Uint8Array, priorities: FilePriority[], addedAt: number,
    peers?: PeerAddress[], totals?: TorrentTotals,
  ): Torrent {
    const torrent = new Torrent(meta, {
      transport: () => this.transport,
      udp: () => this.udp!,
      dht: () => this.dht.current,
      storage,
      peerId: this.peerId,
      listenPort: () => this.transport?.peerPort ?? 0,
      initialPeers: peers,
      onStateChanged: (t) => {
        this.markDirty(t);
        if (t.state === 'seeding') this.options.onCompleted?.(t.meta.infoHashHex);
      },
      onWarning: (t, message) => this.options.onWarning?.(t.meta.infoHashHex, message),
      onAddressReported: (voter, address) => this.externalAddress.vote(voter, address),
      encryption: () => this.encryption,
      limits: this.limits,
      onSeedingGoalReached: (t, reason) => void this.seedingGoalReached(t, reason),
    }, undefined, priorities);
    if (totals) torrent.restoreTotals(totals);
    this.records.set(meta.infoHashHex, { storage, torrentBytes, addedAt });
    this.torrents.set(meta.infoHashHex, torrent);
    return torrent;
  }

  private async saveMagnet(magnet: PendingMagnet, paused: boolean): Promise<void> {
    magnet.storage ??= await this.options.store.openTorrent(magnet.link.infoHashHex, 0);
    await magnet.storage.writeRecord({
      infoHashHex: magnet.link.infoHashHex, torrentBytes: new Uint8Array(0), magnetUri: magnet.uri, bitfield: new Uint8Array(0),
      selectedFiles: [], paused, addedAt: magnet.addedAt, downloadedBytes: 0, uploadedBytes: 0,
      ...(magnet.askFirst ? { awaitingChoice: true } : {}),
    });
  }

  private markDirty(torrent: Torrent): void {
    this.dirty.add(torrent.meta.infoHashHex);
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => void this.saveDirty(), RECORD_SAVE_INTERVAL_MS);
  }

  private async saveDirty(): Promise<void> {
    this.saveTimer = undefined;
    for (const hex of [...this.dirty]) {
      this.dirty.delete(hex);
      const torrent = this.torrents.get(hex);
      if (torrent) await this.saveRecord(torrent, torrent.state === 'stopped');
    }
  }

  private async saveRecord(torrent: Torrent, paused: boolean): Promise<void> {
    const saved = this.records.get(torrent.meta.infoHashHex);
    if (!saved) return;
    // After the flush: a failed write has un-set its pieces (onLost), so the bitfield is true.
    await saved.storage.flush();
    const record: TorrentRecord = {
      infoHashHex: torrent.meta.infoHashHex,
      torrentBytes: saved.torrentBytes,
      bitfield: torrent.have.bytes.slice(),
      selectedFiles: torrent.selectedFiles,
      filePriorities: [...torrent.filePriorities],
      paused,
      ...(torrent.awaitingChoice ? { awaitingChoice: true } : {}),
      addedAt: saved.addedAt,
      ...torrent.totals,
      limits: { ...torrent.throttle.overrides },
      ...torrent.seedingClock.record,
      ...(paused && torrent.stopReason ? { stopReason: torrent.stopReason } : {}),
    };
    await saved.storage.writeRecord(record);
  }
}
