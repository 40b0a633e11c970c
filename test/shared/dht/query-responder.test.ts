import { describe, expect, it } from 'vitest';
import { answerQuery, type QueryResponderState } from '../../../shared/dht/query-responder.ts';
import { RoutingTable } from '../../../shared/dht/routing-table.ts';
import { DhtTokens } from '../../../shared/dht/tokens.ts';
import { PeerStore } from '../../../shared/dht/peer-store.ts';
import { randomNodeId } from '../../../shared/dht/node-id.ts';
import { KRPC_METHOD_UNKNOWN, KRPC_PROTOCOL_ERROR, type KrpcMessage } from '../../../shared/dht/krpc.ts';

const t = Uint8Array.of(1, 2);
const from = { host: '10.0.0.7', port: 7000 };

function state(): QueryResponderState {
  const ownId = randomNodeId();
  const table = new RoutingTable(ownId);
  for (let i = 0; i < 20; i++) table.add({ id: randomNodeId(), host: '10.0.1.1', port: 100 + i }, 0);
  return { ownId, table, tokens: new DhtTokens(0), peers: new PeerStore() };
}

function response(message: KrpcMessage) {
  if (message.type !== 'response') throw new Error(`expected a response, got ${JSON.stringify(message)}`);
  return message.response;
}

describe('answering queries (BEP 5)', () => {
  it('answers ping and find_node with our id and the 8 closest nodes', () => {
    const s = state();
    expect(answerQuery(s, t, { method: 'ping', id: randomNodeId() }, from, 0)).toEqual({ type: 'response', transactionId: t, response: { id: s.ownId }, ip: from });
    const target = randomNodeId();
    const found = response(answerQuery(s, t, { method: 'find_node', id: randomNodeId(), target }, from, 0));
    expect(found.nodes).toEqual(s.table.closest(target, 8, 0));
  });

  it('gives a token on get_peers and stores an announce that presents it', () => {
    const s = state();
    const infoHash = randomNodeId();
    const first = response(answerQuery(s, t, { method: 'get_peers', id: randomNodeId(), infoHash }, from, 0));
    expect(first.values).toBeUndefined();
    expect(first.nodes).toHaveLength(8);
    const announce = { method: 'announce_peer' as const, id: randomNodeId(), infoHash, port: 6881, token: first.token!, impliedPort: false };
    expect(answerQuery(s, t, announce, from, 1).type).toBe('response');
    expect(answerQuery(s, t, { ...announce, impliedPort: true }, { host: from.host, port: 7001 }, 2).type).toBe('response');
    const second = response(answerQuery(s, t, { method: 'get_peers', id: randomNodeId(), infoHash }, from, 3));
    expect(second.values).toEqual([{ host: from.host, port: 7001 }, { host: from.host, port: 6881 }]);
  });

  it('refuses an announce with a token issued to another IP', () => {
    const s = state();
    const infoHash = randomNodeId();
    const token = response(answerQuery(s, t, { method: 'get_peers', id: randomNodeId(), infoHash }, from, 0)).token!;
    const refused = answerQuery(s, t, { method: 'announce_peer', id: randomNodeId(), infoHash, port: 1, token, impliedPort: false }, { host: '10.0.0.8', port: 1 }, 0);
    expect(refused).toMatchObject({ type: 'error', code: KRPC_PROTOCOL_ERROR });
    expect(s.peers.get(infoHash, 0, 50)).toEqual([]);
  });

  it('answers an unknown method with 204', () => {
    expect(answerQuery(state(), t, { method: 'unknown', name: 'vote', id: randomNodeId() }, from, 0)).toMatchObject({ type: 'error', code: KRPC_METHOD_UNKNOWN });
  });

  it('gives the families of nodes asked for (BEP 32), the querier\'s own by default', () => {
    const s = state();
    const table6 = new RoutingTable(s.ownId);
    for (let i = 0; i < 5; i++) table6.add({ id: randomNodeId(), host: `fd00::${i + 1}`, port: 200 + i }, 0);
    const dual = { ...s, table6 };
    const target = randomNodeId();
    const byDefault = response(answerQuery(dual, t, { method: 'find_node', id: randomNodeId(), target }, from, 0));
    expect(byDefault.nodes).toHaveLength(8);
    expect(byDefault.nodes6).toBeUndefined();
    const from6 = { host: 'fd00::99', port: 7000 };
    const v6 = response(answerQuery(dual, t, { method: 'get_peers', id: randomNodeId(), infoHash: target }, from6, 0));
    expect(v6.nodes).toBeUndefined();
    expect(v6.nodes6).toHaveLength(5);
    const both = answerQuery(dual, t, { method: 'find_node', id: randomNodeId(), target, want: ['n4', 'n6'] }, from6, 0);
    expect(response(both).nodes).toHaveLength(8);
    expect(response(both).nodes6).toHaveLength(5);
    expect(both).toMatchObject({ ip: from6 }); // BEP 42
  });
});
