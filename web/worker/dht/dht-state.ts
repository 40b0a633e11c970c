// What the DHT remembers across reloads (BEP 5 asks nodes to keep their id and their routing
// table): our node id, so other nodes' tables still point at us, and the nodes we knew, so a
// reload rejoins the DHT without waiting on the bootstrap routers.
import type { DhtContact } from '../../../shared/dht/compact.ts';
import { NODE_ID_BYTES } from '../../../shared/dht/node-id.ts';

export interface DhtState {
  nodeId: Uint8Array;
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
  const { nodeId, nodes } = raw as { nodeId?: unknown; nodes?: unknown };
  if (!isNodeId(nodeId) || !Array.isArray(nodes)) return undefined;
  const contacts = nodes.filter(isContact).slice(0, MAX_SAVED_NODES)
    .map((node) => ({ id: Uint8Array.from(node.id), host: node.host, port: node.port }));
  return { nodeId: Uint8Array.from(nodeId), nodes: contacts };
}

/** The state to store: the id and at most MAX_SAVED_NODES contacts, as plain data. */
export function dhtStateToSave(nodeId: Uint8Array, nodes: readonly DhtContact[]): DhtState {
  return {
    nodeId: Uint8Array.from(nodeId),
    nodes: nodes.slice(0, MAX_SAVED_NODES).map((node) => ({ id: Uint8Array.from(node.id), host: node.host, port: node.port })),
  };
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
