// The tab's DHT node across gateway links and reloads: one DhtNode per link (it needs the link's
// UDP socket), the same node id and routing table carried from one to the next, and both saved
// now and then so a reload rejoins where it left off. The id is BEP 42's, made from our external
// address once it is known (random until then); a new address means a new id, and the node
// rejoins with it through the nodes it knew.
import type { DhtContact } from '../../../shared/dht/compact.ts';
import { randomNodeId } from '../../../shared/dht/node-id.ts';
import { nodeIdForAddress } from '../../../shared/dht/node-id-security.ts';
import type { PeerAddress } from '../transport.ts';
import type { UdpService } from '../udp/udp-service.ts';
import { DhtNode } from './dht-node.ts';
import { dhtStateToSave, type DhtStateStore } from './dht-state.ts';

const SAVE_INTERVAL_MS = 5 * 60_000;

export class DhtService {
  private node?: DhtNode;
  private bootstrap: PeerAddress[] = [];
  private nodeId?: Uint8Array;
  /** The external address `nodeId` was made for (BEP 42), if it was. */
  private nodeIdAddress?: string;
  private contacts: DhtContact[] = [];
  private loaded?: Promise<void>;
  private udp?: UdpService;
  private saveTimer?: ReturnType<typeof setInterval>;
  /** Bumped on each restart so a restart still waiting on storage gives way to a newer one. */
  private generation = 0;

  constructor(
    private readonly stateStore?: DhtStateStore,
    /** A node says it sees us at `address` (BEP 42 `ip`): the engine's external-address vote. */
    private readonly onAddressReported?: (voter: string, address: string) => void,
  ) {}

  /** The external address the node id is made for (BEP 42), if any. */
  get idAddress(): string | undefined {
    return this.nodeIdAddress;
  }

  /**
   * Our external address is known (or changed): the node id becomes BEP 42's for it, and a
   * running node restarts with it from the nodes it knew.
   */
  async setExternalAddress(address: string): Promise<void> {
    await this.loadOnce();
    if (address === this.nodeIdAddress) return;
    const id = nodeIdForAddress(address);
    if (!id) return;
    this.nodeId = id;
    this.nodeIdAddress = address;
    if (this.node) await this.restart(this.udp);
    else void this.save();
  }

  /** The running node, if the DHT is on and a link is up. */
  get current(): DhtNode | undefined {
    return this.node;
  }

  /** Turns the DHT on with these bootstrap nodes (or off, with none). */
  configure(bootstrap: PeerAddress[]): Promise<void> {
    this.bootstrap = bootstrap;
    return this.restart(this.udp);
  }

  /** Runs the node on a new link's UDP service (undefined: no link). */
  async restart(udp: UdpService | undefined): Promise<void> {
    this.udp = udp;
    const generation = ++this.generation;
    this.stopNode();
    if (!udp || this.bootstrap.length === 0) return;
    await this.loadOnce();
    if (generation !== this.generation) return;
    this.nodeId ??= randomNodeId();
    this.node = new DhtNode({ udp, nodeId: this.nodeId, bootstrap: this.bootstrap, knownNodes: this.contacts, onAddressReported: this.onAddressReported });
    void this.node.start().then(() => this.save(), () => {});
    this.saveTimer ??= setInterval(() => void this.save(), SAVE_INTERVAL_MS);
  }

  /** Saves the node id and routing table: once joined, every 5 minutes, and when stopped. */
  async save(): Promise<void> {
    if (this.node) this.contacts = this.node.routingTableSnapshot();
    if (!this.stateStore || !this.nodeId || this.contacts.length === 0) return;
    try {
      await this.stateStore.save(dhtStateToSave(this.nodeId, this.contacts, this.nodeIdAddress));
    } catch { /* storage full or gone: the DHT works without it */ }
  }

  async stop(): Promise<void> {
    await this.save();
    this.generation++;
    this.stopNode();
    clearInterval(this.saveTimer);
    this.saveTimer = undefined;
  }

  private stopNode(): void {
    if (!this.node) return;
    this.contacts = this.node.routingTableSnapshot();
    this.node.stop();
    this.node = undefined;
  }

  private loadOnce(): Promise<void> {
    this.loaded ??= (async () => {
      try {
        const state = await this.stateStore?.load();
        if (!state) return;
        if (!this.nodeId) {
          this.nodeId = state.nodeId;
          this.nodeIdAddress = state.nodeIdAddress;
        }
        if (this.contacts.length === 0) this.contacts = state.nodes;
      } catch { /* unreadable: start fresh */ }
    })();
    return this.loaded;
  }
}
