import { describe, expect, it } from 'vitest';
import { decodeKrpc, encodeKrpc, KrpcError, MAX_KRPC_MESSAGE_BYTES, type KrpcMessage } from '../../../shared/dht/krpc.ts';
import { bencode } from '../../../shared/bencode/index.ts';

const text = (s: string) => new TextEncoder().encode(s);
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
const t = text('aa');
const A = text('abcdefghij0123456789');
const M = text('mnopqrstuvwxyz123456');

// The examples of BEP 5, byte for byte.
const GOLDEN: Array<[string, string, KrpcMessage]> = [
  ['ping query', 'd1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe', { type: 'query', transactionId: t, query: { method: 'ping', id: A } }],
  ['ping response', 'd1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re', { type: 'response', transactionId: t, response: { id: M } }],
  ['error', 'd1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee', { type: 'error', transactionId: t, code: 201, message: 'A Generic Error Ocurred' }],
  [
    'find_node query',
    'd1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe',
    { type: 'query', transactionId: t, query: { method: 'find_node', id: A, target: M } },
  ],
  [
    'get_peers query',
    'd1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe',
    { type: 'query', transactionId: t, query: { method: 'get_peers', id: A, infoHash: M } },
  ],
  [
    'get_peers response with peers',
    'd1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re',
    {
      type: 'response',
      transactionId: t,
      response: {
        id: A,
        token: text('aoeusnth'),
        values: [
          { host: '97.120.106.101', port: 0x2e75 },
          { host: '105.100.104.116', port: 0x6e6d },
        ],
      },
    },
  ],
  [
    'announce_peer query',
    'd1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe',
    { type: 'query', transactionId: t, query: { method: 'announce_peer', id: A, infoHash: M, port: 6881, token: text('aoeusnth'), impliedPort: true } },
  ],
];

function expectKrpcError(bytes: Uint8Array, message: RegExp): KrpcError {
  try {
    decodeKrpc(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(KrpcError);
    expect((error as Error).message).toMatch(message);
    return error as KrpcError;
  }
  throw new Error('expected a KrpcError');
}

describe('KRPC codec (BEP 5)', () => {
  for (const [name, wire, message] of GOLDEN) {
    it(`decodes and encodes the BEP 5 ${name}`, () => {
      expect(decodeKrpc(text(wire))).toEqual(message);
      expect(latin1(encodeKrpc(message))).toBe(wire);
    });
  }

  it('round-trips compact nodes (26 bytes each) and drops port 0 entries', () => {
    const nodes = [
      { id: A, host: '127.0.0.1', port: 6881 },
      { id: M, host: '10.1.2.3', port: 65535 },
    ];
    const bytes = encodeKrpc({ type: 'response', transactionId: t, response: { id: A, nodes, token: text('tk') } });
    expect(decodeKrpc(bytes)).toEqual({ type: 'response', transactionId: t, response: { id: A, nodes, token: text('tk') } });
    const zeroPort = new Uint8Array(26);
    const decoded = decodeKrpc(bencode({ t, y: 'r', r: { id: A, nodes: zeroPort } }));
    expect(decoded).toEqual({ type: 'response', transactionId: t, response: { id: A, nodes: [] } });
  });

  it('encodes announce_peer with implied_port 0 and an explicit port, and ignores v and ip', () => {
    const q: KrpcMessage = { type: 'query', transactionId: t, query: { method: 'announce_peer', id: A, infoHash: M, port: 51413, token: text('x'), impliedPort: false } };
    const bytes = encodeKrpc(q, { clientVersion: text('TA01') });
    expect(latin1(bytes)).toContain('12:implied_porti0e');
    expect(latin1(bytes)).toContain('1:v4:TA01');
    expect(decodeKrpc(bytes)).toEqual(q);
  });

  it('decodes an unknown method so it can be answered with 204, and read-only queries (BEP 43)', () => {
    const wire = 'd1:ad2:id20:abcdefghij0123456789e1:q17:sample_infohashes2:roi1e1:t2:aa1:y1:qe';
    expect(decodeKrpc(text(wire))).toEqual({ type: 'query', transactionId: t, readOnly: true, query: { method: 'unknown', name: 'sample_infohashes', id: A } });
  });

  it('reads IPv6 (BEP 32) values and nodes6 beside IPv4 ones', () => {
    const v6 = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x1a, 0xe1);
    const node6 = new Uint8Array(38);
    node6.set(M);
    node6.set(v6, 20);
    const r = { id: A, values: [v6, Uint8Array.of(1, 2, 3, 4, 0, 80), new Uint8Array(7)], nodes6: node6 };
    const decoded = decodeKrpc(bencode({ t, y: 'r', r }));
    expect(decoded).toEqual({
      type: 'response', transactionId: t,
      response: { id: A, values: [{ host: '::1', port: 6881 }, { host: '1.2.3.4', port: 80 }], nodes6: [{ id: M, host: '::1', port: 6881 }] },
    });
    const back = encodeKrpc(decoded);
    expect(decodeKrpc(back)).toEqual(decoded);
    expectKrpcError(bencode({ t, y: 'r', r: { id: A, nodes6: new Uint8Array(37) } }), /nodes6/);
  });

  it('carries want (BEP 32) in queries and the requester\'s ip (BEP 42) in responses', () => {
    const query: KrpcMessage = { type: 'query', transactionId: t, query: { method: 'get_peers', id: A, infoHash: M, want: ['n4', 'n6'] } };
    expect(latin1(encodeKrpc(query))).toContain('4:wantl2:n42:n6e');
    expect(decodeKrpc(encodeKrpc(query))).toEqual(query);
    const odd = decodeKrpc(bencode({ t, y: 'q', q: 'find_node', a: { id: A, target: M, want: ['n6', 'x9', 5] } }));
    expect(odd).toMatchObject({ query: { method: 'find_node', want: ['n6'] } });
    expectKrpcError(bencode({ t, y: 'q', q: 'find_node', a: { id: A, target: M, want: ['n4', 'n4', 'n4', 'n4', 'n4'] } }), /want/);
    for (const ip of [{ host: '1.2.3.4', port: 6881 }, { host: '2001:db8::7', port: 51413 }]) {
      const response: KrpcMessage = { type: 'response', transactionId: t, response: { id: A }, ip };
      expect(decodeKrpc(encodeKrpc(response))).toEqual(response);
    }
    // A malformed `ip` loses only itself.
    expect(decodeKrpc(bencode({ t, y: 'r', ip: Uint8Array.of(1, 2, 3), r: { id: A } }))).toEqual({ type: 'response', transactionId: t, response: { id: A } });
  });

  describe('hostile input', () => {
    it('refuses truncated and non-dictionary input', () => {
      expectKrpcError(text('d1:ad2:id20:abcdefghij0123456789e1:q4:pi'), /not bencoded/);
      expectKrpcError(text('li1ee'), /not a dictionary/);
    });

    it('refuses messages over 8 KiB before decoding them', () => {
      expectKrpcError(new Uint8Array(MAX_KRPC_MESSAGE_BYTES + 1), /exceeds/);
    });

    it('refuses more than 200 values', () => {
      const values = Array.from({ length: 201 }, () => Uint8Array.of(1, 2, 3, 4, 0, 1));
      const bytes = bencode({ t, y: 'r', r: { id: A, values } });
      expect(bytes.length).toBeLessThan(MAX_KRPC_MESSAGE_BYTES);
      expectKrpcError(bytes, /201 values/);
    });

    it('refuses ids that are not 20 bytes and keeps the transaction id for a 203 answer', () => {
      const error = expectKrpcError(text('d1:ad2:id3:abce1:q4:ping1:t2:xy1:y1:qe'), /"id" is 3 bytes/);
      expect(error.transactionId).toEqual(text('xy'));
    });

    it('refuses partial compact nodes, missing fields and unknown message types', () => {
      expectKrpcError(text('d1:rd2:id20:0123456789abcdefghij5:nodes9:def456...e1:t2:aa1:y1:re'), /not a multiple of 26/);
      expectKrpcError(text('d1:y1:qe'), /missing transaction id/);
      expectKrpcError(text('d1:t2:aa1:y1:qe'), /missing "q"/);
      expectKrpcError(text('d1:t2:aa1:y1:ze'), /unknown message type/);
      expectKrpcError(text('d1:ai1e1:q4:ping1:t2:aa1:y1:qe'), /"a" should be a dictionary/);
    });

    it('refuses announce_peer without a valid port unless implied_port is set', () => {
      const base = 'd1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456%s5:token2:tke1:q13:announce_peer1:t2:aa1:y1:qe';
      expectKrpcError(text(base.replace('%s', '4:porti0e')), /port 0 out of range/);
      expectKrpcError(text(base.replace('%s', '4:porti70000e')), /port 70000 out of range/);
      expect(decodeKrpc(text(base.replace('%s', '12:implied_porti1e')))).toMatchObject({ query: { impliedPort: true, port: 0 } });
    });

    it('treats __proto__ keys as plain data and caps nesting', () => {
      const wire = 'd9:__proto__d1:xi1ee1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe';
      expect(decodeKrpc(text(wire))).toEqual({ type: 'query', transactionId: t, query: { method: 'ping', id: A } });
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expectKrpcError(text(`d1:t2:aa1:y1:q1:a${'l'.repeat(20)}${'e'.repeat(20)}e`), /not bencoded/);
    });

    it('refuses a wrongly typed field', () => {
      expectKrpcError(text('d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe'), /"id" should be a byte string/);
      expectKrpcError(text('d1:el3:abce1:t2:aa1:y1:ee'), /error code is not an integer/);
    });

    it('caps the nesting at 8 levels', () => {
      const nested = (depth: number) => text(`d1:t2:aa1:y1:q1:q4:ping1:ad2:id20:abcdefghij01234567891:x${'l'.repeat(depth - 2)}${'e'.repeat(depth - 2)}ee`);
      expect(decodeKrpc(nested(8))).toMatchObject({ type: 'query', query: { method: 'ping' } });
      expectKrpcError(nested(9), /nesting deeper than 8 levels/);
    });

    it('refuses a transaction id over 32 bytes', () => {
      const ping = (tid: Uint8Array) => bencode({ t: tid, y: 'q', q: 'ping', a: { id: A } });
      expect(decodeKrpc(ping(new Uint8Array(32)))).toMatchObject({ type: 'query' });
      expectKrpcError(ping(new Uint8Array(33)), /transaction id of 33 bytes/);
    });

    it('refuses a token over 64 bytes, in announce_peer and in responses', () => {
      const announce = (token: Uint8Array) => bencode({ t, y: 'q', q: 'announce_peer', a: { id: A, info_hash: M, port: 1, token } });
      expect(decodeKrpc(announce(new Uint8Array(64)))).toMatchObject({ query: { method: 'announce_peer' } });
      expectKrpcError(announce(new Uint8Array(65)), /token of 65 bytes/);
      const response = (token: Uint8Array) => bencode({ t, y: 'r', r: { id: A, token } });
      expect(decodeKrpc(response(new Uint8Array(64)))).toMatchObject({ type: 'response' });
      expectKrpcError(response(new Uint8Array(65)), /token of 65 bytes/);
    });

    it('keeps at most 512 bytes of an error message and 64 characters of an unknown method name', () => {
      const error = decodeKrpc(bencode({ t, y: 'e', e: [201, 'x'.repeat(600)] }));
      expect(error).toMatchObject({ type: 'error', message: 'x'.repeat(512) });
      const unknown = decodeKrpc(bencode({ t, y: 'q', q: 'm'.repeat(100), a: { id: A } }));
      expect(unknown).toMatchObject({ query: { method: 'unknown', name: 'm'.repeat(64) } });
    });
  });
});
