// Answers the queries other nodes send us (BEP 5): ping, find_node, get_peers (with a token and
// the peers announced to us), announce_peer (only with a token we issued to that IP). Pure: the
// routing table, tokens and peer store are passed in, and so is the time. BEP 32: nodes of the
// families the querier wants (its own by default); BEP 42: every response names the querier's address.

import type { PeerAddress } from '../tracker/peers.ts';
import { familyOf, type DhtContact } from './compact.ts';
import { KRPC_METHOD_UNKNOWN, KRPC_PROTOCOL_ERROR, type DhtWant, type KrpcMessage, type KrpcQuery, type KrpcResponseBody } from './krpc.ts';
import type { PeerStore } from './peer-store.ts';
import type { RoutingTable } from './routing-table.ts';
import type { DhtTokens } from './tokens.ts';

/** BEP 5: a node returns the k (8) closest nodes it knows. */
export const NODES_PER_REPLY = 8;
/** Peers per get_peers answer: 50 × 6 bytes keeps the datagram well under 1,500 bytes. */
export const VALUES_PER_REPLY = 50;

export interface QueryResponderState {
  readonly ownId: Uint8Array;
  /** IPv4 nodes. */
  readonly table: RoutingTable;
  /** BEP 32: IPv6 nodes, when we have an IPv6 side. */
  readonly table6?: RoutingTable;
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
  const respond = (body: Omit<KrpcResponseBody, 'id'>): KrpcMessage => ({
    type: 'response',
    transactionId,
    response: { id: state.ownId, ...body },
    ip: { host: from.host, port: from.port },
  });
  const closest = (target: Uint8Array, want: readonly DhtWant[] | undefined): { nodes?: DhtContact[]; nodes6?: DhtContact[] } => {
    const wanted = want && want.length > 0 ? want : [familyOf(from.host) === 6 ? 'n6' : 'n4'];
    const out: { nodes?: DhtContact[]; nodes6?: DhtContact[] } = {};
    if (wanted.includes('n4')) out.nodes = state.table.closest(target, NODES_PER_REPLY, nowMs);
    if (wanted.includes('n6')) out.nodes6 = state.table6?.closest(target, NODES_PER_REPLY, nowMs) ?? [];
    return out;
  };
  switch (query.method) {
    case 'ping':
      return respond({});
    case 'find_node':
      return respond(closest(query.target, query.want));
    case 'get_peers': {
      const token = state.tokens.issue(from.host, nowMs);
      const nodes = closest(query.infoHash, query.want);
      const values = state.peers.get(query.infoHash, nowMs, VALUES_PER_REPLY);
      return respond(values.length > 0 ? { token, ...nodes, values } : { token, ...nodes });
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
