import { Bitfield } from '../../../shared/bitfield.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { PiecePicker } from '../../../shared/piece-picker/index.ts';
import type { BlockBytes, BlockRef, PexMessage } from '../../../shared/peer-wire/index.ts';
import { StorageFullError, type StorageError } from '../storage-error.ts';
import type { PeerAddress } from '../transport.ts';
import { PeerConnection, type PeerHost } from '../peer/peer-connection.ts';
import { RateMeter } from '../rate-meter.ts';
import { PeerDiscovery } from './peer-discovery.ts';
import { PeerBans, type BanTargets } from './peer-bans.ts';
import { Choker } from './choke-round.ts';
import type { PieceAssembly } from './piece-assembly.ts';
import { PieceIntake } from './piece-intake.ts';
import { Uploads } from './uploads.ts';
import { Swarm, type AddressHint } from './swarm.ts';
import { Connector, MAX_PEERS } from './connector.ts';
import { DEFAULT_ENCRYPTION } from '../peer/encryption-mode.ts';
import { Downloads } from './downloads.ts';
import { prioritiesFromSelection, type FilePriority } from './file-selection.ts';
import { PieceLedger } from './piece-ledger.ts';
import { StreamReaders } from './stream-readers.ts';
import { PeerRequests } from './peer-requests.ts';
import { GlobalLimits } from '../rate-limit/global-limits.ts';
import { TorrentThrottle } from '../rate-limit/torrent-throttle.ts';
import { SeedingClock } from './seeding-goals.ts';
import type { TorrentContext, TorrentState, TorrentTotals } from './torrent-context.ts';

export type { TorrentContext, TorrentState, TorrentTotals } from './torrent-context.ts';

const TICK_MS = 1000;
const STALL_MS = 30_000;

/**
 * One torrent, from when it is added until it is removed: links to the gateway drop and come
 * back, files are chosen and it is paused and resumed without it being made anew. It keeps its
 * state and its peers and delegates the rest: what it has (PieceLedger), asking and receiving
 * (Downloads, PeerRequests), verifying and storing (PieceIntake), bans (PeerBans), uploading
 * (Uploads), choking (Choker), finding peers (PeerDiscovery, Connector, Swarm), limits and
 * seeding goals (TorrentThrottle, SeedingClock).
 */
export class Torrent implements PeerHost {
  readonly peers = new Map<string, PeerConnection>();
  readonly swarm = new Swarm();
  state: TorrentState = 'stopped';
  error?: string;
  readonly warnings: string[] = [];
  /** Reads of its files while it downloads (the service worker's ranges), with their deadlines. */
  readonly readers: StreamReaders;
  private readonly picker: PiecePicker;
  private readonly requests: PeerRequests;
  /** Blocks in, verified pieces stored. */
  private readonly intake: PieceIntake;
  private readonly uploads: Uploads;
  private readonly bans: PeerBans;
  private readonly choker = new Choker();
  /** Trackers, the gateway link, the DHT and peer exchange. */
  private readonly discovery: PeerDiscovery;
  private readonly connector: Connector;
  /** Requests out to peers and web seeds, blocks back in. */
  private readonly downloads: Downloads;
  /** What we have, want and lack. */
  private readonly ledger: PieceLedger;
  private tickTimer?: ReturnType<typeof setInterval>;
  /** Downloaded in earlier sessions (downloadRate counts this one). */
  private downloadedBefore = 0;
  /** Added with the add dialog: not started until the user chose its files (Engine.startTorrent). */
  awaitingChoice = false;
  /** Rate limits and upload slots (its overrides over the global settings). */
  readonly throttle: TorrentThrottle;
  /** Lifetime seeding time and the stop-seeding goals' state. */
  readonly seedingClock = new SeedingClock();
  /** Why it is paused when the engine paused it (a seeding goal), for the UI; cleared on start. */
  stopReason?: string;

  constructor(readonly meta: Metainfo, private readonly ctx: TorrentContext, have?: Uint8Array, priorities?: FilePriority[]) {
    this.picker = new PiecePicker({ pieceCount: meta.pieceCount, pieceLength: meta.pieceLength, totalLength: meta.totalLength });
    this.requests = new PeerRequests(this.picker, meta.pieceCount);
    this.ledger = new PieceLedger(meta, this.picker, have ? Bitfield.fromBytes(have, meta.pieceCount) : ctx.storage.completion.clone(),
      priorities ?? prioritiesFromSelection([], meta.files.length));
    this.intake = new PieceIntake(meta, ctx.storage, this.picker, this.ledger.have, {
      verified: (assembly) => this.pieceVerified(assembly),
      failed: (assembly) => this.pieceFailed(assembly),
      error: (index, error) => this.fail(`verifying piece ${index} failed: ${error.message}`),
    });
    this.bans = new PeerBans(this.swarm, (m) => this.warn(m));
    this.throttle = new TorrentThrottle(ctx.limits ?? new GlobalLimits(), () => this.downloads.refill());
    this.uploads = new Uploads(meta, this.ledger.have, ctx.storage, this.throttle.uploads, (m) => this.warn(m));
    this.downloads = new Downloads(meta, this.picker, this.requests, this.intake, this.throttle.downloads, {
      downloading: () => this.state === 'downloading',
      running: () => this.state !== 'stopped',
      peers: this.peers,
      transport: () => ctx.transport(),
      warn: (m) => this.warn(m),
    });
    ctx.storage.onWritable = () => this.downloads.storageWritable();
    ctx.storage.onLost = (indices, error) => this.piecesLost(indices, error);
    this.discovery = new PeerDiscovery(meta, ctx, {
      announceState: () => ({ uploaded: this.uploadedBytes, downloaded: this.downloadRate.total, left: this.leftBytes }),
      onPeers: (peers) => this.addPeers(peers),
      accept: (stream) => this.connector.accept(stream),
      warn: (m) => this.warn(m),
    });
    this.connector = new Connector(this.swarm, {
      transport: ctx.transport,
      infoHash: meta.infoHash,
      encryption: () => ctx.encryption?.() ?? DEFAULT_ENCRYPTION,
      peerCount: () => this.peers.size,
      // Seeds dial too (peers that cannot reach us still get the torrent), skipping known seeds.
      dialing: () => this.state === 'downloading' || this.state === 'seeding',
      seeding: () => this.state === 'seeding',
      running: () => this.state !== 'stopped',
      onStream: (stream, inbound) => { new PeerConnection(stream, this, inbound); },
    });
    this.readers = new StreamReaders({
      meta, have: this.have,
      getPiece: (index) => ctx.storage.getPiece(index),
      setDeadlines: (readerId, pieces, jumped) => {
        this.picker.setDeadlines(readerId, pieces);
        if (jumped && pieces.length > 0) this.requests.cancelQueuedForOthers(this.peers.values());
        this.downloads.refill();
      },
      wantFile: (fileIndex) => { if (this.filePriorities[fileIndex] === 'skip') this.setFilePriority(fileIndex, 'normal'); },
    });
  }

  // ---- PeerHost ----
  get infoHash(): Uint8Array { return this.meta.infoHash; }
  get infoBytes(): Uint8Array { return this.meta.infoBytes; }
  get peerId(): Uint8Array { return this.ctx.peerId; }
  get pieceCount(): number { return this.meta.pieceCount; }
  get listenPort(): number { return this.ctx.listenPort(); }
  /** BEP 27: private torrents get peers from their trackers only. */
  get pexEnabled(): boolean { return this.discovery.pexEnabled; }
  /** BEP 5: our DHT node's port, sent in PORT messages (0: the DHT is off or not bound yet). */
  get dhtPort(): number { return this.discovery.dhtPort; }
  onDhtPort(peer: PeerConnection, port: number): void { this.discovery.dhtPortReported(peer, port); }

  onAddressReported(peer: PeerConnection, address: string): void {
    this.ctx.onAddressReported?.(peer.stream.remote.host, address);
  }

  onPeerExchange(_peer: PeerConnection, message: PexMessage): void { this.discovery.peersExchanged(message); }

  // ---- what we have (the ledger's) ----
  get have(): Bitfield { return this.ledger.have; }
  /** Bytes of the pieces we have, wanted or not. */
  get verifiedBytes(): number { return this.ledger.verifiedBytes; }
  /** Bytes of wanted pieces not verified yet. */
  get leftBytes(): number { return this.ledger.leftBytes; }
  get isComplete(): boolean { return this.ledger.isComplete; }
  get wanted(): Bitfield { return this.ledger.wanted; }
  /** Bytes of the wanted pieces. */
  get wantedBytes(): number { return this.ledger.wantedBytes; }
  get filePriorities(): readonly FilePriority[] { return this.ledger.filePriorities; }
  get selectedFiles(): boolean[] { return this.ledger.selectedFiles; }

  /** Lifetime bytes received for nothing (earlier sessions included). */
  get wastedBytes(): number { return this.intake.wastedBytes; }
  get downloadRate(): RateMeter { return this.downloads.rate; }
  get uploadRate(): RateMeter { return this.uploads.rate; }
  /** Lifetime uploaded bytes (earlier sessions included). */
  get uploadedBytes(): number { return this.uploads.sentBytes; }

  /** Lifetime downloaded bytes (earlier sessions included). */
  get downloadedBytes(): number {
    return this.downloadedBefore + this.downloadRate.total;
  }

  get totals(): TorrentTotals {
    return { downloadedBytes: this.downloadedBytes, uploadedBytes: this.uploadedBytes, wastedBytes: this.wastedBytes };
  }

  /** Takes the totals of earlier sessions (from the record), before the torrent starts. */
  restoreTotals(totals: Partial<TorrentTotals>): void {
    this.downloadedBefore = totals.downloadedBytes ?? 0;
    this.uploads.restoreSentBytes(totals.uploadedBytes ?? 0);
    this.intake.restoreWastedBytes(totals.wastedBytes ?? 0);
  }

  async start(): Promise<void> {
    if (this.state !== 'stopped' && this.state !== 'error') return;
    this.error = undefined;
    this.stopReason = undefined;
    this.state = this.isComplete ? 'seeding' : 'downloading';
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    await this.discovery.start();
    this.tick();
  }

  /** A new gateway link: listen and announce on it; bans, blame, counters and pieces stay. */
  async linkChanged(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'error') return;
    await this.discovery.linkChanged();
    this.connector.connectMore();
  }

  get sequential(): boolean {
    return this.picker.isSequential;
  }

  /** In-order picking of the wanted pieces instead of rarest first; deadlines still go first. */
  setSequential(sequential: boolean): void {
    this.picker.setSequential(sequential);
    this.ctx.onStateChanged?.(this);
  }

  /** Changes one file's priority on the running torrent; connected peers stay connected. */
  setFilePriority(fileIndex: number, priority: FilePriority): void {
    if (!this.ledger.setPriority(fileIndex, priority)) return;
    if (this.state === 'seeding' && !this.isComplete) this.state = 'downloading';
    else if (this.state === 'downloading' && this.isComplete) this.completed();
    if (this.state !== 'stopped') {
      for (const peer of this.peers.values()) {
        this.updateInterest(peer);
        this.downloads.fill(peer);
      }
    }
    this.ctx.onStateChanged?.(this);
  }

  /** Stops all network activity; verified pieces stay. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearInterval(this.tickTimer);
    this.discovery.stop();
    this.throttle.stop();
    this.uploads.stop();
    for (const peer of [...this.peers.values()]) peer.close('torrent stopped');
    this.intake.abandonUnfinished();
    // Pieces being hashed and written finish first, so Remove deletes what they store.
    await this.intake.settled();
    await this.ctx.storage.flush();
  }

  addPeers(addresses: AddressHint[]): void {
    this.swarm.add(addresses);
    if (this.state !== 'stopped') this.connector.connectMore();
  }

  peersKnown(): PeerAddress[] {
    return this.swarm.addresses();
  }

  get trackerStatuses() { return this.discovery.trackerStatuses; }

  onPeerReady(peer: PeerConnection): void {
    if (this.bans.has(peer.id) || this.peers.size >= MAX_PEERS * 1.25) return peer.close('not wanted');
    for (const other of this.peers.values()) if (other.id === peer.id) return peer.close('already connected to this peer');
    this.peers.set(peer.key, peer);
    this.connector.peerReady(peer);
  }

  onPeerHas(peer: PeerConnection, piece: number | 'all'): void {
    if (piece === 'all') {
      this.picker.addPeerBitfield(peer.bitfield);
      this.updateInterest(peer);
    } else {
      this.picker.addPeerHave(piece);
      if (!peer.amInterested && this.ledger.lacks(piece)) peer.setInterested(true);
    }
    if (this.state === 'seeding' && peer.bitfield.isComplete) return this.bothSeeding(peer);
    this.downloads.fill(peer);
  }

  onPeerUnchoked(peer: PeerConnection): void { this.downloads.fill(peer); }
  onPeerChoked(peer: PeerConnection, returned: BlockRef[]): void { this.requests.giveBack(peer, returned); }

  onBlock(peer: PeerConnection, block: BlockRef, bytes: BlockBytes): void {
    this.downloads.peerBlock(peer, block, bytes);
  }

  onBlockRejected(peer: PeerConnection, block: BlockRef): void {
    this.picker.cancelRequest(block, peer);
    this.downloads.fill(peer);
  }

  onPeerRequest(peer: PeerConnection, block: BlockRef): void { this.uploads.request(peer, block, this.peers.values()); }
  onPeerWritable(peer: PeerConnection): void { this.uploads.writable(peer); }

  /** Its overrides of the global limits (a LimitError, nothing applied, when one is invalid). */
  setLimits(limits: unknown): void {
    this.throttle.setOverrides(limits);
    this.limitsChanged();
  }

  /** A limit changed (its own or a global one): slots and waiting transfers follow now. */
  limitsChanged(): void {
    this.throttle.changed();
    this.choker.forceRound();
    if (this.state !== 'stopped') this.runChoker();
  }

  /** Resumed by hand: a seeding goal reached now stops it no more, until the goals change. */
  resumedByUser(): void {
    this.seedingClock.resumedByUser(this.throttle.effective, this.uploadedBytes, this.meta.totalLength);
  }

  onPeerInterestChanged(peer: PeerConnection): void {
    // The choker fills a free slot at once and does nothing when every slot is taken.
    if (peer.peerInterested) this.runChoker();
  }

  onPeerClosed(peer: PeerConnection, _reason: string, returned: BlockRef[]): void {
    this.requests.giveBack(peer, returned);
    this.uploads.peerClosed(peer);
    if (this.peers.get(peer.key) === peer) {
      this.peers.delete(peer.key);
      this.picker.removePeerBitfield(peer.bitfield);
    }
    this.connector.peerClosed(peer);
    if (this.state !== 'stopped') this.downloads.fillPeers();
  }

  // ---- downloading ----
  /**
   * A failed write lost these pieces of ours: they are missing again and fetched again (a warning),
   * unless the browser's storage is full, which stops this torrent (other torrents carry on).
   */
  private piecesLost(indices: number[], error: StorageError): void {
    const lostPieces = this.ledger.piecesLost(indices);
    for (const index of lostPieces) this.uploads.pieceLost(index);
    const lost = lostPieces.length;
    if (this.state === 'seeding' && !this.isComplete) this.state = 'downloading';
    this.ctx.onStateChanged?.(this); // the record must not claim them
    if (error instanceof StorageFullError) return this.fail(`storage failed: ${error.message}`);
    this.warn(`storing ${lost} ${lost === 1 ? 'piece' : 'pieces'} failed (${error.message}); fetching ${lost === 1 ? 'it' : 'them'} again`);
    for (const peer of this.peers.values()) this.updateInterest(peer);
    this.downloads.refill();
    // Seeds dropped when we completed ("both seeding") have these pieces: dial them again now.
    if (this.state === 'downloading') { this.swarm.redialClosed(); this.connector.connectMore(); }
  }

  onAllowedFast(peer: PeerConnection): void { this.downloads.fill(peer); }
  /** BEP 6: a suggestion may change what the picker starts next for this peer. */
  onSuggest(peer: PeerConnection): void { this.downloads.fill(peer); }

  /** A piece matched its hash and is stored. */
  private pieceVerified(assembly: PieceAssembly): void {
    const index = assembly.index;
    // A piece verified while the torrent stops is stored all the same: count it, or the picker
    // would hold its blocks as received and never fetch it again.
    if (!this.ledger.pieceVerified(index)) return; // verified twice (endgame duplicates): count it once
    this.readers.pieceVerified(index);
    this.bans.pieceVerified(index, assembly.data, this.banTargets());
    const running = this.state !== 'stopped';
    if (running) for (const peer of this.peers.values()) peer.sendHave(index);
    if (running && this.isComplete) this.completed();
    this.ctx.onStateChanged?.(this); // the record is saved with this piece, stopped or not
    if (running && !this.isComplete) this.downloads.fillAll();
  }

  /** A piece failed its hash check (its blocks are wasted and fetched again). */
  private pieceFailed(assembly: PieceAssembly): void {
    this.warn(`piece ${assembly.index} failed verification (from ${assembly.contributors().join(', ')}); fetching it again`);
    this.bans.pieceFailed(assembly, this.banTargets());
    this.downloads.fillPeers();
  }

  private banTargets(): BanTargets {
    return { peers: this.peers, webSeeds: this.downloads.webSeeds };
  }

  private completed(): void {
    this.state = 'seeding';
    this.discovery.completed();
    for (const peer of this.peers.values()) {
      peer.setInterested(false);
      if (peer.bitfield.isComplete) this.bothSeeding(peer);
    }
    void this.ctx.storage.flush();
  }

  /** Two seeds have nothing to trade: close, and do not dial it again while we seed. */
  private bothSeeding(peer: PeerConnection): void {
    const address = peer.dialableAddress;
    if (address) this.swarm.markSeed(address);
    peer.close('both seeding');
  }

  /** Interested while the peer has a piece we want and lack (BEP 3). */
  private updateInterest(peer: PeerConnection): void {
    peer.setInterested(this.ledger.wantsFrom(peer.bitfield));
  }

  private tick(): void {
    if (this.state === 'stopped') return;
    this.seedingClock.tick(this.state === 'seeding');
    const reached = this.state === 'seeding' ? this.seedingClock.check(this.throttle.effective, this.uploadedBytes, this.meta.totalLength) : undefined;
    if (reached) return this.ctx.onSeedingGoalReached?.(this, reached);
    const now = Date.now();
    for (const peer of this.peers.values()) {
      if (peer.requests.size > 0 && peer.requests.oldestAgeMs(now) > STALL_MS) { peer.close('stalled: no data for 30 s'); continue; }
      peer.tick(now);
      if (peer.closed) continue;
      if (peer.amInterested && peer.requests.size === 0) this.updateInterest(peer);
      this.downloads.fill(peer);
    }
    this.requests.rankFastest(this.peers.values());
    this.runChoker();
    this.discovery.exchange([...this.peers.values()], now);
    this.downloads.fillWebSeeds(now);
    this.connector.connectMore();
    this.discovery.askForMore(this.peers.size, this.swarm.size, MAX_PEERS);
  }

  private runChoker(): void {
    this.choker.run([...this.peers.values()], this.state === 'seeding', Date.now(), this.throttle.effective.uploadSlots);
  }

  private fail(message: string): void {
    this.error = message;
    void this.stop().then(() => { this.state = 'error'; this.ctx.onStateChanged?.(this); });
  }

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.warnings.length > 50) this.warnings.shift();
    this.ctx.onWarning?.(this, message);
  }
}
