// KRPC (shared/dht/krpc.ts, BEP 5): queries, responses and errors. An accepted message must
// re-encode into one that decodes to the same kind.

import { decodeKrpc, encodeKrpc, KrpcError, type KrpcMessage } from '../../../shared/dht/krpc.ts';
import { ascii, check, roundTrip, type FuzzTarget } from '../target.ts';

const t = ascii('aa');
const A = ascii('abcdefghij0123456789');
const M = ascii('mnopqrstuvwxyz123456');

const MESSAGES: KrpcMessage[] = [
  { type: 'query', transactionId: t, query: { method: 'ping', id: A } },
  { type: 'query', transactionId: t, query: { method: 'find_node', id: A, target: M } },
  { type: 'query', transactionId: t, query: { method: 'get_peers', id: A, infoHash: M } },
  { type: 'query', transactionId: t, query: { method: 'announce_peer', id: A, infoHash: M, port: 6881, token: ascii('aoeusnth'), impliedPort: true } },
  { type: 'response', transactionId: t, response: { id: M } },
  { type: 'response', transactionId: t, response: { id: A, nodes: [{ id: M, host: '192.0.2.1', port: 6881 }], token: ascii('tk'), values: [{ host: '10.0.0.1', port: 80 }] } },
  { type: 'error', transactionId: t, code: 201, message: 'A Generic Error Ocurred' },
];

export const krpcTarget: FuzzTarget = {
  name: 'krpc',
  bencode: true,
  dictionary: ['t', 'y', 'q', 'r', 'e', 'a', 'id', 'target', 'info_hash', 'port', 'implied_port', 'token', 'values', 'nodes', 'nodes6', 'ro', 'v', 'ping', 'find_node', 'get_peers', 'announce_peer', 'sample_infohashes', 'abcdefghij0123456789'],
  seeds: () => [
    ...MESSAGES.map((message) => encodeKrpc(message)),
    ascii('d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:q2:roi1ee'),
    ascii('d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee'),
  ],
  // decodeKrpc, and again after re-encoding.
  decodesPerRun: 2,
  typedErrors: [KrpcError],
  run(input) {
    const message = decodeKrpc(input);
    const again = roundTrip('re-encoding a decoded message', () => decodeKrpc(encodeKrpc(message)));
    check(again.type === message.type, `a ${message.type} does not survive re-encoding`);
  },
};
