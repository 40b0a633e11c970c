// A mainline DHT node (BEP 5) in the tab, speaking KRPC through the gateway's UDP relay. It
// bootstraps from configured nodes, finds peers for an info-hash (get_peers lookups), announces
// us (announce_peer with the tokens from that lookup), and answers other nodes' queries.
// BEP 32: a routing table per address family, lookups over both. BEP 42: responses name the
// querier's address, and the addresses others name for us are reported (the id itself is the
// DhtService's). A node a peer names in a PORT message joins the table once it answers a ping.
// No BEP 44 storage.

import { randomNodeId } from '../../../shared/dht/node-id.ts';
import { RoutingTable } from '../../../shared/dht/routing-table.ts';
import { Lookup, LOOKUP_K, addressKey, type LookupContact } from '../../../shared/dht/lookup.ts';
import { familyOf, parseIPv4, parseIPv6, type AddressFamily, type DhtContact } from '../../../shared/dht/compact.ts';
import type { DhtWant, KrpcQuery, KrpcResponseBody } from '../../../shared/dht/krpc.ts';
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
/** PORT messages whose node we are pinging at once, at most: peers cannot make us flood. */
const MAX_PORT_PINGS = 8;
/** Nodes of the other family heard of in answers, kept to seed that family's lookups. */
const MAX_HEARD_NODES = 32;
/** BEP 32: we ask every node for both families. */
const WANT_BOTH: readonly DhtWant[] = ['n4', 'n6'];

export interface DhtNodeOptions {
  readonly udp: UdpService;
  readonly nodeId?: Uint8Array;
  /** Where to start when the routing table is empty (DEFAULT_BOOTSTRAP_NODES in the app). */
  readonly bootstrap: readonly DhtAddress[];
  /** A routingTableSnapshot() from an earlier session, tried along with the bootstrap nodes. */
  readonly knownNodes?: readonly DhtContact[];
  readonly queryTimeoutMs?: number;
  readonly now?: () => number;
  /** A node (`voter`, its IP) says it sees us at `address` (BEP 42 `ip`). */
  readonly onAddressReported?: (voter: string, address: string) => void;
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
  /** BEP 32: IPv4 and IPv6 nodes apart. */
  private readonly tables: Record<AddressFamily, RoutingTable>;
  /** Nodes of one family named in answers to a lookup of the other, for the next lookup of theirs. */
  private readonly heard: Record<AddressFamily, DhtContact[]> = { 4: [], 6: [] };
  private readonly portPings = new Set<string>();
  private udpPort = 0;
  private readonly tokens: DhtTokens;
  private readonly peerStore = new PeerStore();
  private readonly limiter: QueryRateLimiter;
  private readonly socket: KrpcSocket;
  private readonly bootstrap: readonly DhtAddress[];
  private readonly knownNodes: readonly DhtContact[];
  private readonly queryTimeoutMs: number;
  private readonly now: () => number;
  private readonly onAddressReported: (voter: string, address: string) => void;
  private maintenanceTimer?: ReturnType<typeof setInterval>;
  private stopped = false;

  constructor(options: DhtNodeOptions) {
    this.nodeId = options.nodeId ?? randomNodeId();
    this.now = options.now ?? Date.now;
    this.tables = { 4: new RoutingTable(this.nodeId), 6: new RoutingTable(this.nodeId) };
    this.onAddressReported = options.onAddressReported ?? (() => {});
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

  /** Nodes in the routing tables (both families). */
  get nodeCount(): number {
    return this.tables[4].size + this.tables[6].size;
  }

  /** Nodes in one family's routing table. */
  nodeCountOf(family: AddressFamily): number {
    return this.tables[family].size;
  }

  /** The gateway's UDP port for our socket (what PORT messages name), 0 until bound. */
  get port(): number {
    return this.udpPort;
  }

  /** Joins the DHT: a find_node lookup of our own id (BEP 5), per family. Resolves with the node count. */
  async start(): Promise<number> {
    void this.socketPort();
    await this.bothFamilies((family) => this.runLookup(family, this.nodeId, (id) => ({ method: 'find_node', id, target: this.nodeId, want: WANT_BOTH })));
    if (!this.stopped && !this.maintenanceTimer) {
      this.maintenanceTimer = setInterval(() => void this.maintain(), MAINTENANCE_INTERVAL_MS);
    }
    return this.nodeCount;
  }

  /**
   * A peer says its DHT node listens on `port` at `host` (BEP 5 PORT message): pinged, and added
   * to the table if it answers. Bounded: a few pings at once, one per address.
   */
  pingReportedNode(host: string, port: number): void {
    const key = addressKey({ host, port });
    if (this.stopped || port <= 0 || port > 0xffff || this.portPings.has(key) || this.portPings.size >= MAX_PORT_PINGS) return;
    if (!parseIPv4(host) && !parseIPv6(host)) return;
    this.portPings.add(key);
    void this.socket.query({ host, port }, { method: 'ping', id: this.nodeId }, this.queryTimeoutMs).then((outcome) => {
      this.portPings.delete(key);
      if (outcome.kind !== 'response' || this.stopped) return;
      this.learnFromResponse(outcome.body.id, outcome.from, outcome.ip);
    });
  }

  /**
   * Finds peers for `infoHash` with an iterative get_peers lookup. `onPeers` gets each batch of
   * peers not seen before as it arrives; the promise resolves when the lookup has converged.
   */
  async lookupPeers(infoHash: Uint8Array, onPeers: (peers: PeerAddress[]) => void = () => {}): Promise<PeerLookupResult> {
    const seen = new Set<string>();
    const peers: PeerAddress[] = [];
    const tokens = new Map<string, Uint8Array>();
    const onAnswer = (from: LookupContact, body: KrpcResponseBody): void => {
      if (body.token) tokens.set(addressKey(from), body.token);
      const fresh = (body.values ?? []).filter((p) => !seen.has(addressKey(p)) && seen.add(addressKey(p)));
      if (fresh.length === 0) return;
      peers.push(...fresh);
      onPeers(fresh);
    };
    const lookups = await this.bothFamilies((family) => this.runLookup(family, infoHash, (id) => ({ method: 'get_peers', id, infoHash, want: WANT_BOTH }), onAnswer));
    const closest = lookups.flatMap((lookup) => lookup.closestAnswered()).map((c) => ({ ...c, token: tokens.get(addressKey(c)) }));
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

  /** The routing tables' nodes (IPv4 first), to pass back as `knownNodes` next time. */
  routingTableSnapshot(): DhtContact[] {
    return [...this.tables[4].snapshot(), ...this.tables[6].snapshot()];
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
    const state = { ownId: this.nodeId, table: this.tables[4], table6: this.tables[6], tokens: this.tokens, peers: this.peerStore };
    this.socket.send(from, answerQuery(state, message.transactionId, message.query, from, nowMs));
    // BEP 43: read-only nodes do not answer queries, so they stay out of the table.
    if (!message.readOnly) this.tableFor(from.host).add({ id: message.query.id, host: from.host, port: from.port }, nowMs);
  }

  private tableFor(host: string): RoutingTable {
    return this.tables[familyOf(host)];
  }

  /** Runs `lookup` for IPv4, and for IPv6 too when there is anyone to ask there. */
  private bothFamilies<T>(lookup: (family: AddressFamily) => Promise<T>): Promise<T[]> {
    const families: AddressFamily[] = this.seeds(6, this.nodeId).length > 0 ? [4, 6] : [4];
    return Promise.all(families.map(lookup));
  }

  /** A node answered: into its family's table (full buckets ping their oldest), and its word on our address. */
  private learnFromResponse(id: Uint8Array, from: DhtAddress, ip: DhtAddress | undefined): void {
    const table = this.tableFor(from.host);
    const added = table.add({ id, host: from.host, port: from.port }, this.now());
    if (added.status === 'full' && added.questionable[0]) void this.ping(added.questionable[0]);
    if (ip) this.onAddressReported(from.host, ip.host);
  }

  private async socketPort(): Promise<void> {
    try {
      this.udpPort = await this.socket.port();
    } catch { /* not bound: PORT messages wait for the next start */ }
  }

  /** Runs one iterative lookup to completion; `onAnswer` sees every response. */
  private async runLookup(
    family: AddressFamily,
    target: Uint8Array,
    makeQuery: (ownId: Uint8Array) => KrpcQuery,
    onAnswer: (from: LookupContact, body: KrpcResponseBody) => void = () => {},
  ): Promise<Lookup> {
    const lookup = new Lookup(target, this.seeds(family, target), { ownId: this.nodeId });
    await new Promise<void>((resolve) => {
      const pump = (): void => {
        if (this.stopped || lookup.done) return resolve();
        for (const contact of lookup.next()) {
          void this.queryForLookup(contact, makeQuery(this.nodeId)).then((body) => {
            if (body) {
              lookup.onResponse(contact, body.id, (family === 4 ? body.nodes : body.nodes6) ?? []);
              this.hear(family === 4 ? 6 : 4, (family === 4 ? body.nodes6 : body.nodes) ?? []);
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
    if (outcome.kind === 'timeout') {
      const table = this.tableFor(contact.host);
      const entry = contact.id ? table.get(contact.id) : undefined;
      if (entry && entry.host === contact.host && entry.port === contact.port) table.failed(entry.id);
      return undefined;
    }
    if (outcome.kind === 'error') return undefined;
    this.learnFromResponse(outcome.body.id, outcome.from, outcome.ip);
    return outcome.body;
  }

  /** Remembers a few nodes of `family` heard of in the other family's lookups (bounded, newest kept). */
  private hear(family: AddressFamily, nodes: readonly DhtContact[]): void {
    const list = this.heard[family];
    for (const node of nodes) {
      if (familyOf(node.host) !== family || list.some((known) => addressKey(known) === addressKey(node))) continue;
      list.push(node);
      if (list.length > MAX_HEARD_NODES) list.shift();
    }
  }

  /** BEP 5: a full bucket pings its least recently seen questionable node; silence makes it bad. */
  private async ping(node: DhtContact): Promise<void> {
    const outcome = await this.socket.query(node, { method: 'ping', id: this.nodeId }, this.queryTimeoutMs);
    const table = this.tableFor(node.host);
    if (outcome.kind === 'timeout') table.failed(node.id);
    else table.seen(node.id, this.now());
  }

  /** The closest nodes of `family` we know; remembered, heard-of and bootstrap nodes while the table is thin. */
  private seeds(family: AddressFamily, target: Uint8Array): LookupContact[] {
    const seeds: LookupContact[] = this.tables[family].closest(target, LOOKUP_K, this.now());
    if (seeds.length >= LOOKUP_K) return seeds;
    const others = [...this.knownNodes, ...this.heard[family], ...this.bootstrap];
    return [...seeds, ...others.filter((node) => familyOf(node.host) === family)];
  }

  /** Refreshes idle buckets (BEP 5: 15 minutes) and rejoins when the table has emptied. */
  private async maintain(): Promise<void> {
    if (this.stopped) return;
    if (this.tables[4].size === 0 && this.tables[6].size === 0) {
      await this.start();
      return;
    }
    for (const family of [4, 6] as const) {
      for (const target of this.tables[family].refreshTargets(this.now()).slice(0, REFRESHES_PER_MAINTENANCE)) {
        await this.runLookup(family, target, (id) => ({ method: 'find_node', id, target, want: WANT_BOTH }));
      }
    }
  }
}
