// What the DHT remembers across reloads (BEP 5 asks nodes to keep their id and their routing
// table): our node id, so other nodes' tables still point at us, and the nodes we knew, so a
// reload rejoins the DHT without waiting on the bootstrap routers. With the id, the external
// address it was made for (BEP 42): a reload behind the same address keeps it. Nodes of both
// families (BEP 32) are kept.
import { familyOf, type DhtContact } from '../../../shared/dht/compact.ts';
import { NODE_ID_BYTES } from '../../../shared/dht/node-id.ts';

export interface DhtState {
  nodeId: Uint8Array;
  /** The external address the id was derived from (BEP 42); absent for a random id. */
  nodeIdAddress?: string;
  nodes: DhtContact[];
}

export interface DhtStateStore {
  load(): Promise<DhtState | undefined>;
  save(state: DhtState): Promise<void>;
}

/** More than a lookup needs to start from; keeps the stored value small. */
export const MAX_SAVED_NODES = 256;

/** Checks what came back from storage (an older version or a damaged entry is dropped, not trusted). */
export function readDhtState(raw: unknown): DhtState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { nodeId, nodeIdAddress, nodes } = raw as { nodeId?: unknown; nodeIdAddress?: unknown; nodes?: unknown };
  if (!isNodeId(nodeId) || !Array.isArray(nodes)) return undefined;
  const contacts = nodes.filter(isContact).slice(0, MAX_SAVED_NODES)
    .map((node) => ({ id: Uint8Array.from(node.id), host: node.host, port: node.port }));
  const state: DhtState = { nodeId: Uint8Array.from(nodeId), nodes: contacts };
  if (typeof nodeIdAddress === 'string' && nodeIdAddress.length > 0 && nodeIdAddress.length <= 64) state.nodeIdAddress = nodeIdAddress;
  return state;
}

/**
 * The state to store: the id (and the address it was made for) and at most MAX_SAVED_NODES
 * contacts, as plain data; IPv6 nodes keep up to half the room when IPv4 ones would fill it.
 */
export function dhtStateToSave(nodeId: Uint8Array, nodes: readonly DhtContact[], nodeIdAddress?: string): DhtState {
  const v6 = nodes.filter((node) => familyOf(node.host) === 6);
  const v4 = nodes.filter((node) => familyOf(node.host) === 4);
  const v6Kept = v6.slice(0, Math.max(MAX_SAVED_NODES / 2, MAX_SAVED_NODES - v4.length));
  const kept = [...v4.slice(0, MAX_SAVED_NODES - v6Kept.length), ...v6Kept];
  const state: DhtState = {
    nodeId: Uint8Array.from(nodeId),
    nodes: kept.map((node) => ({ id: Uint8Array.from(node.id), host: node.host, port: node.port })),
  };
  if (nodeIdAddress) state.nodeIdAddress = nodeIdAddress;
  return state;
}

function isNodeId(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && value.length === NODE_ID_BYTES;
}

function isContact(value: unknown): value is DhtContact {
  if (typeof value !== 'object' || value === null) return false;
  const { id, host, port } = value as { id?: unknown; host?: unknown; port?: unknown };
  return isNodeId(id) && typeof host === 'string' && host.length > 0 && host.length <= 64
    && typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536;
}

/** Keeps the state in memory (tests, and Node). */
export class MemoryDhtStateStore implements DhtStateStore {
  saved?: DhtState;
  async load(): Promise<DhtState | undefined> {
    return readDhtState(this.saved);
  }
  async save(state: DhtState): Promise<void> {
    this.saved = state;
  }
}
