// Answers the queries other nodes send us (BEP 5): ping, find_node, get_peers (with a token and
// the peers announced to us), announce_peer (only with a token we issued to that IP). Pure: the
// routing table, tokens and peer store are passed in, and so is the time.

import type { PeerAddress } from '../tracker/peers.ts';
import { KRPC_METHOD_UNKNOWN, KRPC_PROTOCOL_ERROR, type KrpcMessage, type KrpcQuery } from './krpc.ts';
import type { PeerStore } from './peer-store.ts';
import type { RoutingTable } from './routing-table.ts';
import type { DhtTokens } from './tokens.ts';

/** BEP 5: a node returns the k (8) closest nodes it knows. */
export const NODES_PER_REPLY = 8;
/** Peers per get_peers answer: 50 × 6 bytes keeps the datagram well under 1,500 bytes. */
export const VALUES_PER_REPLY = 50;

export interface QueryResponderState {
  readonly ownId: Uint8Array;
  readonly table: RoutingTable;
  readonly tokens: DhtTokens;
  readonly peers: PeerStore;
}

/** The answer (response or error) to one query from `from` (its UDP source address). */
export function answerQuery(
  state: QueryResponderState,
  transactionId: Uint8Array,
  query: KrpcQuery,
  from: PeerAddress,
  nowMs: number,
): KrpcMessage {
  const respond = (body: Omit<Extract<KrpcMessage, { type: 'response' }>['response'], 'id'>): KrpcMessage => ({
    type: 'response',
    transactionId,
    response: { id: state.ownId, ...body },
  });
  switch (query.method) {
    case 'ping':
      return respond({});
    case 'find_node':
      return respond({ nodes: state.table.closest(query.target, NODES_PER_REPLY, nowMs) });
    case 'get_peers': {
      const token = state.tokens.issue(from.host, nowMs);
      const nodes = state.table.closest(query.infoHash, NODES_PER_REPLY, nowMs);
      const values = state.peers.get(query.infoHash, nowMs, VALUES_PER_REPLY);
      return respond(values.length > 0 ? { token, nodes, values } : { token, nodes });
    }
    case 'announce_peer': {
      if (!state.tokens.verify(from.host, query.token, nowMs)) {
        return { type: 'error', transactionId, code: KRPC_PROTOCOL_ERROR, message: 'bad token' };
      }
      const port = query.impliedPort ? from.port : query.port;
      state.peers.add(query.infoHash, { host: from.host, port }, nowMs);
      return respond({});
    }
    case 'unknown':
      return { type: 'error', transactionId, code: KRPC_METHOD_UNKNOWN, message: 'Method Unknown' };
  }
}
