// What a torrent asks for, and what comes back: each peer's pipeline (PeerRequests) and the web
// seeds (BEP 19) are filled while the torrent downloads, within the download limit's budget and
// while hashing and storage keep up (back-pressure); the blocks they send count towards the
// download rate and limit and go to the intake, which puts pieces together and verifies them.
import { ErrorCode } from '../../../shared/bridge/frames.ts';
import type { Metainfo } from '../../../shared/metainfo/index.ts';
import { blockByteLength, type BlockBytes, type BlockRef } from '../../../shared/peer-wire/index.ts';
import type { PiecePicker } from '../../../shared/piece-picker/index.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import type { DownloadThrottle } from '../rate-limit/download-throttle.ts';
import { RateMeter } from '../rate-meter.ts';
import { TransportError, type Transport } from '../transport.ts';
import type { PeerRequests } from './peer-requests.ts';
import type { PieceIntake } from './piece-intake.ts';
import { WebSeed, type WebSeedHost } from './web-seed.ts';

/** What the downloads see of their torrent. */
export interface DownloadsHost {
  /** The torrent downloads now (not stopped, not seeding): requests may go out. */
  downloading(): boolean;
  /** The torrent runs (a block arriving while it is stopped is wasted). */
  running(): boolean;
  /** Its connected peers, by key. */
  readonly peers: ReadonlyMap<string, PeerConnection>;
  /** The gateway link now (web seeds are fetched through it). */
  transport(): Transport | undefined;
  warn(message: string): void;
}

export class Downloads {
  /** This session's download rate (and total). */
  readonly rate = new RateMeter();
  readonly webSeeds: WebSeed[];

  constructor(meta: Metainfo, private readonly picker: PiecePicker, private readonly requests: PeerRequests,
    private readonly intake: PieceIntake, private readonly throttle: DownloadThrottle, private readonly host: DownloadsHost) {
    this.webSeeds = meta.urlList.filter((url) => /^https?:\/\//i.test(url)).map((url) => new WebSeed(url, this.webSeedHost(meta)));
  }

  /** New requests go out while downloading and while hashing and storage keep up (back-pressure). */
  get requesting(): boolean {
    return this.host.downloading() && this.intake.keepingUp;
  }

  /** Fills the peer's pipeline, if requests may go out. */
  fill(peer: PeerConnection): void {
    if (this.requesting) this.requests.fill(peer, this.requestBudget());
  }

  fillPeers(): void {
    for (const peer of this.host.peers.values()) this.fill(peer);
  }

  /** Sends requests to every peer and web seed that has room. */
  fillAll(): void {
    this.fillPeers();
    this.fillWebSeeds();
  }

  /** As fillAll, while the torrent downloads (a limit let more through, a reader moved, storage drained). */
  refill(): void {
    if (this.host.downloading()) this.fillAll();
  }

  fillWebSeeds(now?: number): void {
    for (const seed of this.webSeeds) seed.fill(now);
  }

  /** The storage queue drained below its low mark: request again. */
  storageWritable(): void {
    this.intake.storageWritable();
    this.refill();
  }

  /** A block from a peer: counted, its stream held back if over the limit, and its pipeline refilled. */
  peerBlock(peer: PeerConnection, block: BlockRef, bytes: BlockBytes): void {
    this.receive(peer, block, bytes);
    this.throttle.received(block.length, peer.stream);
    this.fill(peer);
  }

  /** A block from a peer or a web seed (what the picker knows it by, and blames by its id). */
  private receive(sender: PeerConnection | WebSeed, block: BlockRef, bytes: BlockBytes): void {
    this.rate.add(blockByteLength(bytes));
    this.intake.receive(sender, sender.id, block, bytes, this.host.running());
  }

  /** Requests the download limit allows now, over what is outstanding (Infinity: no limit). */
  private requestBudget(): number {
    if (!this.throttle.allowsRequests()) return 0;
    let outstanding = 0;
    for (const peer of this.host.peers.values()) outstanding += peer.requests.size;
    return this.throttle.requestBudget(outstanding);
  }

  /** How web seeds (BEP 19) reach the picker and the piece assembly. */
  private webSeedHost(meta: Metainfo): WebSeedHost {
    const transport = () => this.host.transport();
    return {
      meta,
      get transport() {
        const current = transport();
        if (!current) throw new TransportError('not connected to the gateway', ErrorCode.RESET);
        return current;
      },
      pickBlocks: (seed, count) => {
        const allowed = Math.min(count, this.requestBudget());
        return this.requesting && transport() && allowed > 0 ? this.picker.pickBlocks(seed.all, allowed, { peer: seed }) : [];
      },
      returnBlocks: (seed, blocks) => { for (const block of blocks) this.picker.cancelRequest(block, seed); },
      onBlock: (seed, block, bytes) => { this.receive(seed, block, bytes); this.throttle.received(block.length); seed.fill(); },
      onWebSeedFailed: (seed, message) => this.host.warn(`${seed.id}: ${message}${seed.disabled ? ' (giving up on it)' : '; retrying later'}`),
    };
  }
}
