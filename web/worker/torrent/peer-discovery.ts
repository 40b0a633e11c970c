// Where a torrent's peers come from, and how others find it: its trackers and its presence on the
// gateway link (announces, the inbound registration), the DHT (BEP 5, and PORT messages that point
// at DHT nodes), and peer exchange (BEP 11) both ways. Private torrents (BEP 27) use their trackers
// only. Addresses found go to `onPeers` (the torrent's swarm); inbound streams go to `accept`.
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import type { PexMessage } from '../../../shared/peer-wire/index.ts';
import { DhtPeerSource } from '../dht/dht-peer-source.ts';
import { DEFAULT_ENCRYPTION } from '../peer/encryption-mode.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import { makeTrackerTiers } from '../trackers/make-tracker.ts';
import type { ByteStream } from '../transport.ts';
import { Announcer, type AnnounceState } from './announcer.ts';
import { LinkPresence } from './link-presence.ts';
import { PeerExchange } from './peer-exchange.ts';
import type { AddressHint } from './swarm.ts';
import type { TorrentContext } from './torrent-context.ts';

/** Below this many connected peers a torrent asks its trackers for more early. */
const FEW_PEERS = 5;

export interface DiscoveryHooks {
  /** What announces report about us now. */
  announceState: () => AnnounceState;
  onPeers: (addresses: AddressHint[]) => void;
  /** An inbound peer passed the encryption setting. */
  accept: (stream: ByteStream) => void;
  warn: (message: string) => void;
}

export class PeerDiscovery {
  private readonly announcer: Announcer;
  private readonly presence: LinkPresence;
  private readonly peerExchange: PeerExchange;
  private readonly dhtSource?: DhtPeerSource;

  constructor(private readonly meta: Metainfo, private readonly ctx: TorrentContext, private readonly hooks: DiscoveryHooks) {
    const trackers = makeTrackerTiers(meta.announce, ctx.transport, ctx.udp);
    this.announcer = new Announcer(trackers, meta.infoHash, ctx.peerId, ctx.listenPort, hooks.announceState, hooks.onPeers);
    this.presence = new LinkPresence(this.announcer, meta.infoHash, ctx.transport, hooks.accept, hooks.warn,
      () => ctx.encryption?.() ?? DEFAULT_ENCRYPTION);
    this.peerExchange = new PeerExchange();
    if (!meta.private && ctx.dht) {
      this.dhtSource = new DhtPeerSource(ctx.dht, meta.infoHash, ctx.listenPort, hooks.onPeers, true);
    }
  }

  /** BEP 27: private torrents get peers from their trackers only. */
  get pexEnabled(): boolean { return !this.meta.private; }

  /** BEP 5: our DHT node's port, sent in PORT messages (0: the DHT is off or not bound yet). */
  get dhtPort(): number { return this.meta.private ? 0 : this.ctx.dht?.()?.port ?? 0; }

  get trackerStatuses() { return this.announcer.statuses; }

  /** The torrent starts: the DHT, the extra peers it was given, then the gateway link. */
  start(): Promise<void> {
    this.dhtSource?.start();
    this.hooks.onPeers(this.ctx.initialPeers ?? []);
    return this.presence.join();
  }

  /** A new gateway link: listen and announce on it. */
  linkChanged(): Promise<void> {
    return this.presence.join();
  }

  /** The torrent stops: 'stopped' to the trackers, no inbound peers, no DHT lookups. */
  stop(): void {
    this.presence.leave();
    this.dhtSource?.stop();
  }

  /** Every wanted piece is in: the trackers hear 'completed'. */
  completed(): void {
    this.announcer.completed();
  }

  /** A peer told us its DHT node's port (BEP 5 PORT): the node may join our routing table. */
  dhtPortReported(peer: PeerConnection, port: number): void {
    if (!this.meta.private) this.ctx.dht?.()?.pingReportedNode(peer.stream.remote.host, port);
  }

  peersExchanged(message: PexMessage): void {
    // The flags go with the addresses: a seed of ours skips seeds, uTP peers are dialled over uTP (BEP 11).
    this.hooks.onPeers(message.added);
  }

  /** On the torrent's tick: tells connected peers what changed in our swarm (BEP 11). */
  exchange(peers: readonly PeerConnection[], now: number): void {
    if (this.pexEnabled) this.peerExchange.tick(peers, now);
  }

  /** On the torrent's tick: with few peers and room for more, the trackers are asked early. */
  askForMore(connected: number, known: number, maxPeers: number): void {
    if (connected < FEW_PEERS && known < maxPeers) this.announcer.refresh();
  }
}
