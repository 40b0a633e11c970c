// A mainline DHT node (BEP 5) in the tab, speaking KRPC through the gateway's UDP relay. It
// bootstraps from configured nodes, finds peers for an info-hash (get_peers lookups), announces
// us (announce_peer with the tokens from that lookup), and answers other nodes' queries.
// IPv4 only; no BEP 42 node-id security, no BEP 32 IPv6, no BEP 44 storage.

import { randomNodeId } from '../../../shared/dht/node-id.ts';
import { RoutingTable } from '../../../shared/dht/routing-table.ts';
import { Lookup, LOOKUP_K, addressKey, type LookupContact } from '../../../shared/dht/lookup.ts';
import type { DhtContact } from '../../../shared/dht/compact.ts';
import type { KrpcQuery, KrpcResponseBody } from '../../../shared/dht/krpc.ts';
import { DhtTokens } from '../../../shared/dht/tokens.ts';
import { PeerStore } from '../../../shared/dht/peer-store.ts';
import { QueryRateLimiter } from '../../../shared/dht/rate-limiter.ts';
import { answerQuery } from '../../../shared/dht/query-responder.ts';
import type { PeerAddress } from '../../../shared/tracker/peers.ts';
import type { UdpService } from '../udp/udp-service.ts';
import { KrpcSocket, type DhtAddress, type IncomingQuery } from './krpc-socket.ts';

export type { DhtAddress } from './krpc-socket.ts';

/** Public routers, for the engine's default configuration only; tests pass nodes on 127.0.0.1. */
export const DEFAULT_BOOTSTRAP_NODES: readonly DhtAddress[] = [
  { host: 'router.bittorrent.com', port: 6881 },
  { host: 'dht.transmissionbt.com', port: 6881 },
  { host: 'router.utorrent.com', port: 6881 },
  { host: 'dht.libtorrent.org', port: 25401 },
];

const DEFAULT_QUERY_TIMEOUT_MS = 2_000;
const MAINTENANCE_INTERVAL_MS = 60_000;
const REFRESHES_PER_MAINTENANCE = 2;

export interface DhtNodeOptions {
  readonly udp: UdpService;
  readonly nodeId?: Uint8Array;
  /** Where to start when the routing table is empty (DEFAULT_BOOTSTRAP_NODES in the app). */
  readonly bootstrap: readonly DhtAddress[];
  /** A routingTableSnapshot() from an earlier session, tried along with the bootstrap nodes. */
  readonly knownNodes?: readonly DhtContact[];
  readonly queryTimeoutMs?: number;
  readonly now?: () => number;
}

export interface PeerLookupResult {
  /** Every distinct peer found. */
  readonly peers: PeerAddress[];
  /** The closest nodes that answered, with the token each gave (for announce_peer). */
  readonly closest: Array<DhtContact & { readonly token?: Uint8Array }>;
}

export interface AnnounceResult extends PeerLookupResult {
  /** How many of the closest nodes accepted our announce_peer. */
  readonly acceptedBy: number;
}

export class DhtNode {
  readonly nodeId: Uint8Array;
  private readonly table: RoutingTable;
  private readonly tokens: DhtTokens;
  private readonly peerStore = new PeerStore();
  private readonly limiter: QueryRateLimiter;
  private readonly socket: KrpcSocket;
  private readonly bootstrap: readonly DhtAddress[];
  private readonly knownNodes: readonly DhtContact[];
  private readonly queryTimeoutMs: number;
  private readonly now: () => number;
  private maintenanceTimer?: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(options: DhtNodeOptions) {
    this.nodeId = options.nodeId ?? randomNodeId();
    this.now = options.now ?? Date.now;
    this.table = new RoutingTable(this.nodeId);
    this.tokens = new DhtTokens(this.now());
    this.limiter = new QueryRateLimiter({}, this.now());
    this.bootstrap = options.bootstrap;
    this.knownNodes = options.knownNodes ?? [];
    this.queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.socket = new KrpcSocket(
      options.udp,
      (message, from) => this.onQuery(message, from),
      (transactionId, from) => {
        if (this.limiter.allow(from.host, this.now())) this.socket.sendProtocolError(from, transactionId);
      },
    );
  }

  /** Nodes in the routing table. */
  get nodeCount(): number {
    return this.table.size;
  }

  /** Joins the DHT: a find_node lookup of our own id (BEP 5). Resolves with the node count. */
  async start(): Promise<number> {
    await this.runLookup(this.nodeId, (id) => ({ method: 'find_node', id, target: this.nodeId }));
    if (!this.stopped && !this.maintenanceTimer) {
      this.maintenanceTimer = setInterval(() => void this.maintain(), MAINTENANCE_INTERVAL_MS);
    }
    return this.table.size;
  }

  /**
   * Finds peers for `infoHash` with an iterative get_peers lookup. `onPeers` gets each batch of
   * peers not seen before as it arrives; the promise resolves when the lookup has converged.
   */
  async lookupPeers(infoHash: Uint8Array, onPeers: (peers: PeerAddress[]) => void = () => {}): Promise<PeerLookupResult> {
    const seen = new Set<string>();
    const peers: PeerAddress[] = [];
    const tokens = new Map<string, Uint8Array>();
    const lookup = await this.runLookup(infoHash, (id) => ({ method: 'get_peers', id, infoHash }), (from, body) => {
      if (body.token) tokens.set(addressKey(from), body.token);
      const fresh = (body.values ?? []).filter((p) => !seen.has(addressKey(p)) && seen.add(addressKey(p)));
      if (fresh.length === 0) return;
      peers.push(...fresh);
      onPeers(fresh);
    });
    const closest = lookup.closestAnswered().map((c) => ({ ...c, token: tokens.get(addressKey(c)) }));
    return { peers, closest };
  }

  /**
   * Announces that we serve `infoHash` on `port` (our peer port at the gateway): a get_peers
   * lookup, then announce_peer to the closest nodes that gave a token. Also returns the peers found.
   */
  async announce(infoHash: Uint8Array, port: number, options: { impliedPort?: boolean; onPeers?: (peers: PeerAddress[]) => void } = {}): Promise<AnnounceResult> {
    const result = await this.lookupPeers(infoHash, options.onPeers);
    const answers = await Promise.all(
      result.closest
        .filter((c) => c.token)
        .map((c) =>
          this.socket.query(c, { method: 'announce_peer', id: this.nodeId, infoHash, port, token: c.token!, impliedPort: options.impliedPort ?? false }, this.queryTimeoutMs),
        ),
    );
    return { ...result, acceptedBy: answers.filter((a) => a.kind === 'response').length };
  }

  /** The routing table's nodes, to pass back as `knownNodes` next time. */
  routingTableSnapshot(): DhtContact[] {
    return this.table.snapshot();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.maintenanceTimer);
    this.maintenanceTimer = undefined;
    this.socket.close();
  }

  private onQuery(message: IncomingQuery, from: DhtAddress): void {
    const nowMs = this.now();
    if (this.stopped || !this.limiter.allow(from.host, nowMs)) return;
    const state = { ownId: this.nodeId, table: this.table, tokens: this.tokens, peers: this.peerStore };
    this.socket.send(from, answerQuery(state, message.transactionId, message.query, from, nowMs));
    // BEP 43: read-only nodes do not answer queries, so they stay out of the table.
    if (!message.readOnly) this.table.add({ id: message.query.id, host: from.host, port: from.port }, nowMs);
  }

  /** Runs one iterative lookup to completion; `onAnswer` sees every response. */
  private async runLookup(
    target: Uint8Array,
    makeQuery: (ownId: Uint8Array) => KrpcQuery,
    onAnswer: (from: LookupContact, body: KrpcResponseBody) => void = () => {},
  ): Promise<Lookup> {
    const lookup = new Lookup(target, this.seeds(target), { ownId: this.nodeId });
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        if (this.stopped || lookup.done) return resolve();
        for (const contact of lookup.next()) {
          void this.queryForLookup(contact, makeQuery(this.nodeId)).then((body) => {
            if (body) {
              lookup.onResponse(contact, body.id, body.nodes ?? []);
              try {
                onAnswer(contact, body);
              } catch {
                // a caller's callback must not stall the lookup
              }
            } else {
              lookup.onFailure(contact);
            }
            pump();
          });
        }
      };
      pump();
    });
    return lookup;
  }

  /** One query of a lookup; keeps the routing table up to date with the outcome. */
  private async queryForLookup(contact: LookupContact, query: KrpcQuery): Promise<KrpcResponseBody | undefined> {
    const outcome = await this.socket.query(contact, query, this.queryTimeoutMs);
    const nowMs = this.now();
    if (outcome.kind === 'timeout') {
      const entry = contact.id ? this.table.get(contact.id) : undefined;
      if (entry && entry.host === contact.host && entry.port === contact.port) this.table.failed(entry.id);
      return undefined;
    }
    if (outcome.kind === 'error') return undefined;
    const added = this.table.add({ id: outcome.body.id, host: outcome.from.host, port: outcome.from.port }, nowMs);
    if (added.status === 'full' && added.questionable[0]) void this.ping(added.questionable[0]);
    return outcome.body;
  }

  /** BEP 5: a full bucket pings its least recently seen questionable node; silence makes it bad. */
  private async ping(node: DhtContact): Promise<void> {
    const outcome = await this.socket.query(node, { method: 'ping', id: this.nodeId }, this.queryTimeoutMs);
    if (outcome.kind === 'timeout') this.table.failed(node.id);
    else this.table.seen(node.id, this.now());
  }

  /** The closest nodes we know; the bootstrap and remembered nodes while the table is thin. */
  private seeds(target: Uint8Array): LookupContact[] {
    const seeds: LookupContact[] = this.table.closest(target, LOOKUP_K, this.now());
    if (seeds.length < LOOKUP_K) seeds.push(...this.knownNodes, ...this.bootstrap);
    return seeds;
  }

  /** Refreshes idle buckets (BEP 5: 15 minutes) and rejoins when the table has emptied. */
  private async maintain(): Promise<void> {
    if (this.stopped) return;
    if (this.table.size === 0) {
      await this.start();
      return;
    }
    for (const target of this.table.refreshTargets(this.now()).slice(0, REFRESHES_PER_MAINTENANCE)) {
      await this.runLookup(target, (id) => ({ method: 'find_node', id, target }));
    }
  }
}
