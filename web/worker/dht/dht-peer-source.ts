import type { PeerAddress } from '../transport.ts';
import type { DhtNode } from './dht-node.ts';

const ANNOUNCE_INTERVAL_MS = 15 * 60_000;
const LOOKUP_INTERVAL_MS = 60_000;

/**
 * Asks the DHT for a torrent's peers now and then (BEP 5): a full torrent announces itself every
 * 15 minutes; a magnet still fetching metadata only looks up, every minute.
 */
export class DhtPeerSource {
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;
  private emptyRounds = 0;

  constructor(
    private readonly dht: () => DhtNode | undefined,
    private readonly infoHash: Uint8Array,
    private readonly port: () => number,
    private readonly onPeers: (peers: PeerAddress[]) => void,
    private readonly announce: boolean,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.round();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private async round(): Promise<void> {
    const dht = this.dht();
    let found = 0;
    try {
      if (dht && this.announce && this.port() > 0) found = (await dht.announce(this.infoHash, this.port(), { onPeers: this.onPeers })).peers.length;
      else if (dht) found = (await dht.lookupPeers(this.infoHash, this.onPeers)).peers.length;
    } catch { /* the DHT is best effort: trackers and peers we know keep working */ }
    if (!this.running) return;
    // Nothing found yet (the node is still joining, or the swarm is announcing): ask again soon,
    // backing off to the usual interval.
    this.emptyRounds = found > 0 ? 0 : this.emptyRounds + 1;
    const interval = this.announce ? ANNOUNCE_INTERVAL_MS : LOOKUP_INTERVAL_MS;
    const delay = this.emptyRounds > 0 ? Math.min(interval, 2_000 * 2 ** (this.emptyRounds - 1)) : interval;
    this.timer = setTimeout(() => void this.round(), delay);
  }
}
