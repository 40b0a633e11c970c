import { parseInfoDict } from '../../../shared/metainfo/index.ts';
import { MAX_METADATA_BYTES, METADATA_PIECE_BYTES, metadataPieceCount, type MetadataMessage } from '../../../shared/peer-wire/index.ts';
import type { PeerAddress, Transport } from '../transport.ts';
import { Swarm } from '../torrent/swarm.ts';
import { Announcer } from '../torrent/announcer.ts';
import type { TrackerClient } from '../trackers/tracker-client.ts';
import { sha1 } from '../verify.ts';
import { Connector } from '../torrent/connector.ts';
import type { DhtNode } from '../dht/dht-node.ts';
import { DhtPeerSource } from '../dht/dht-peer-source.ts';
import { MetadataPeer, type MetadataPeerHost } from './metadata-peer.ts';
import { DEFAULT_ENCRYPTION, type EncryptionMode } from '../peer/encryption-mode.ts';
import { transportOf } from '../peer/connection-description.ts';

const MAX_PEERS = 20;
const TICK_MS = 1000;

export interface FetcherContext {
  transport: Transport;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  listenPort: () => number;
  trackers: TrackerClient[];
  dht?: () => DhtNode | undefined;
  onWarning: (message: string) => void;
  /** The peer encryption setting now. */
  encryption?: () => EncryptionMode;
}

/**
 * Fetches a magnet link's info dict from peers (BEP 9): every peer offering it gets requests for
 * the missing 16 KiB pieces; the assembled bytes must hash to the info-hash, or they are dropped
 * and the peers that sent them are not asked again.
 */
export class MetadataFetcher implements MetadataPeerHost {
  readonly swarm = new Swarm();
  readonly peers = new Set<MetadataPeer>();
  private readonly announcer: Announcer;
  private readonly dhtSource?: DhtPeerSource;
  private buffer?: Uint8Array<ArrayBuffer>;
  private received: (MetadataPeer | undefined)[] = [];
  private requested = new Map<number, MetadataPeer>();
  private timer?: ReturnType<typeof setInterval>;
  private readonly connector: Connector;
  private stopped = true;
  readonly done: Promise<Uint8Array>;
  private resolve!: (info: Uint8Array) => void;

  constructor(private readonly ctx: FetcherContext) {
    this.announcer = new Announcer(ctx.trackers, ctx.infoHash, ctx.peerId, ctx.listenPort,
      () => ({ uploaded: 0, downloaded: 0, left: 1 }), (peers) => this.addPeers(peers));
    this.done = new Promise((resolve) => { this.resolve = resolve; });
    this.connector = new Connector(this.swarm, {
      transport: () => ctx.transport,
      infoHash: ctx.infoHash,
      encryption: () => ctx.encryption?.() ?? DEFAULT_ENCRYPTION,
      peerCount: () => this.peers.size,
      dialing: () => !this.stopped,
      running: () => !this.stopped,
      onStream: (stream) => { this.peers.add(new MetadataPeer(stream, this)); },
    }, { maxPeers: MAX_PEERS, maxConnecting: MAX_PEERS });
    if (ctx.dht) this.dhtSource = new DhtPeerSource(ctx.dht, ctx.infoHash, ctx.listenPort, (peers) => this.addPeers(peers), false);
  }

  get infoHash(): Uint8Array { return this.ctx.infoHash; }
  get peerId(): Uint8Array { return this.ctx.peerId; }
  get trackerStatuses() { return this.announcer.statuses; }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.announcer.start();
    this.dhtSource?.start();
    this.timer = setInterval(() => this.connector.connectMore(), TICK_MS);
    this.connector.connectMore();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.announcer.stop();
    this.dhtSource?.stop();
    for (const peer of [...this.peers]) peer.close('metadata fetch stopped');
  }

  addPeers(addresses: PeerAddress[]): void {
    this.swarm.add(addresses);
    this.connector.connectMore();
  }

  onMetadataSize(peer: MetadataPeer, totalSize: number): void {
    if (totalSize > MAX_METADATA_BYTES) return peer.close(`metadata of ${totalSize} bytes is too large`);
    if (!this.buffer) {
      this.buffer = new Uint8Array(totalSize);
      // Filled, not sparse: every() skips holes, and one piece would count as all of them.
      this.received = new Array<MetadataPeer | undefined>(metadataPieceCount(totalSize)).fill(undefined);
    } else if (this.buffer.length !== totalSize) {
      return peer.close('the peer disagrees about the metadata size');
    }
    this.requestFrom(peer);
  }

  onMetadataMessage(peer: MetadataPeer, message: MetadataMessage): void {
    if (message.type === 'request') return; // we have nothing to give yet
    if (this.requested.get(message.piece) === peer) this.requested.delete(message.piece);
    if (message.type === 'reject') return peer.close('the peer refused to send metadata');
    if (!this.buffer || message.totalSize !== this.buffer.length || message.piece >= this.received.length) return peer.close('bad metadata piece');
    const expected = Math.min(METADATA_PIECE_BYTES, this.buffer.length - message.piece * METADATA_PIECE_BYTES);
    if (message.data.length !== expected) return peer.close('metadata piece of the wrong size');
    this.buffer.set(message.data, message.piece * METADATA_PIECE_BYTES);
    this.received[message.piece] = peer;
    if (this.received.every((p) => p !== undefined)) void this.verify();
    else this.requestFrom(peer);
  }

  /** Remembered for the torrent (Swarm.knownPeers): the transport that reached the peer. */
  onMetadataPeerHandshake(peer: MetadataPeer): void {
    this.swarm.markConnected(peer.stream.remote, transportOf(peer.stream));
  }

  onMetadataPeerClosed(peer: MetadataPeer): void {
    this.peers.delete(peer);
    const kind = transportOf(peer.stream); // the fetcher only dials: every stream's transport is ours
    if (!this.stopped && !peer.handshaken && kind) {
      // As a torrent's connector does: a peer that takes only the other transport drops ours.
      this.swarm.droppedBeforeHandshake(peer.stream.remote, kind);
      this.connector.connectMore();
    } else {
      this.swarm.markDisconnected(peer.stream.remote, this.buffer === undefined);
    }
    for (const [piece, owner] of this.requested) if (owner === peer) this.requested.delete(piece);
    for (const other of this.peers) this.requestFrom(other);
  }

  private requestFrom(peer: MetadataPeer): void {
    if (!this.buffer || peer.remoteMetadataId === 0) return;
    for (let piece = 0; piece < this.received.length; piece++) {
      if (this.received[piece] || this.requested.has(piece)) continue;
      this.requested.set(piece, peer);
      peer.request(piece);
    }
  }

  private async verify(): Promise<void> {
    const bytes = this.buffer!;
    const digest = await sha1(bytes);
    if (digest.every((b, i) => b === this.ctx.infoHash[i])) {
      this.markSeeds(bytes);
      this.stop();
      return this.resolve(bytes);
    }
    this.ctx.onWarning('metadata from peers did not match the info-hash; asking other peers');
    for (const liar of new Set(this.received)) {
      if (liar) { this.swarm.ban(liar.stream.remote, 3600_000); liar.close('sent bad metadata'); }
    }
    this.buffer = undefined;
    this.received = [];
  }

  /** Peers whose BITFIELD (or HAVE_ALL) holds every piece are seeds: the torrent learns so from the swarm. */
  private markSeeds(info: Uint8Array): void {
    let pieceCount: number;
    try {
      pieceCount = parseInfoDict(info).pieceCount;
    } catch {
      return; // the torrent will refuse this info dict with its own error
    }
    for (const peer of this.peers) if (peer.piecesHeld >= pieceCount) this.swarm.markSeed(peer.stream.remote);
  }

}
