// BEP 6 SUGGEST_PIECE both ways at the peer and torrent level: a fast peer's suggestions are kept
// (most recent first, bounded, past-the-end ignored), a peer without the fast extension that sends
// one is dropped, and the PieceSuggester tells a few other fast, unchoked, interested peers that
// lack a piece when one is requested.
import { describe, expect, it } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import { encodeHandshake, encodeMessage, makeReserved, type PeerMessage } from '../../../../shared/peer-wire/index.ts';
import { PeerConnection, type PeerHost } from '../../../../web/worker/peer/peer-connection.ts';
import { PieceSuggester } from '../../../../web/worker/torrent/piece-suggester.ts';
import { RecordingStream } from '../engine/fake-stream.ts';

const PIECE_COUNT = 20;
const INFO_HASH = new Uint8Array(20).fill(0xab);

function host(): PeerHost & { suggestions: number; closed: string[] } {
  const noop = () => {};
  return {
    infoHash: INFO_HASH, peerId: new Uint8Array(20).fill(0x11), pieceCount: PIECE_COUNT, listenPort: 0,
    have: new Bitfield(PIECE_COUNT), infoBytes: new Uint8Array(0), pexEnabled: false,
    suggestions: 0, closed: [],
    onSuggest() { this.suggestions++; },
    onPeerClosed(_peer, reason) { this.closed.push(reason); },
    onPeerExchange: noop, onPeerReady: noop, onPeerHas: noop, onPeerUnchoked: noop, onPeerChoked: noop,
    onBlock: noop, onBlockRejected: noop, onPeerRequest: noop, onPeerInterestChanged: noop,
  };
}

function connected(fast: boolean) {
  const stream = new RecordingStream();
  const h = host();
  const peer = new PeerConnection(stream, h, false);
  stream.feed(encodeHandshake({ reserved: makeReserved({ fast }), infoHash: INFO_HASH, peerId: new Uint8Array(20).fill(0x22) }));
  const send = (...messages: PeerMessage[]) => { for (const m of messages) stream.feed(encodeMessage(m)); };
  send(fast ? { type: 'have-none' } : { type: 'bitfield', bytes: new Bitfield(PIECE_COUNT).bytes });
  return { stream, host: h, peer, send };
}

describe('SUGGEST_PIECE received', () => {
  it('keeps a fast peer\'s suggestions, most recent first, at most 8, and tells the host', () => {
    const { peer, host: h, send } = connected(true);
    send({ type: 'suggest', piece: 3 }, { type: 'suggest', piece: 5 }, { type: 'suggest', piece: 3 }, { type: 'suggest', piece: 99 });
    expect(peer.suggested).toEqual([3, 5]);
    expect(h.suggestions).toBe(3); // 99 is past the end: ignored
    for (let piece = 10; piece < 20; piece++) send({ type: 'suggest', piece });
    expect(peer.suggested).toEqual([19, 18, 17, 16, 15, 14, 13, 12]);
    peer.close('test over');
  });

  it('drops a peer that suggests without the fast extension', () => {
    const { peer, host: h, send } = connected(false);
    send({ type: 'suggest', piece: 1 });
    expect(peer.closed).toBe(true);
    expect(h.closed[0]).toMatch(/SUGGEST_PIECE without the fast extension/);
  });
});

describe('PieceSuggester', () => {
  function fakePeer(options: { fast?: boolean; choked?: boolean; interested?: boolean; has?: number[]; pieceCount?: number } = {}) {
    const bitfield = new Bitfield(options.pieceCount ?? PIECE_COUNT);
    for (const piece of options.has ?? []) bitfield.set(piece);
    const sent: number[] = [];
    const peer = {
      closed: false, fast: options.fast ?? true, amChoking: options.choked ?? false, peerInterested: options.interested ?? true, bitfield,
      sendSuggest: (piece: number) => sent.push(piece),
    };
    return { peer: peer as unknown as PeerConnection, sent };
  }

  it('suggests a requested piece to at most two other fast, unchoked, interested peers that lack it, once', () => {
    const reader = fakePeer();
    const eligible = [fakePeer(), fakePeer(), fakePeer()];
    const skipped = [fakePeer({ fast: false }), fakePeer({ choked: true }), fakePeer({ interested: false }), fakePeer({ has: [4, 5] })];
    const suggester = new PieceSuggester();
    const all = [reader, ...skipped, ...eligible].map((p) => p.peer);
    suggester.pieceRequested(4, reader.peer, all);
    suggester.pieceRequested(4, reader.peer, all); // the same piece again: nothing new
    expect(reader.sent).toEqual([]);
    for (const p of skipped) expect(p.sent).toEqual([]);
    expect(eligible.map((p) => p.sent)).toEqual([[4], [4], []]);
    suggester.pieceRequested(5, reader.peer, all);
    suggester.pieceRequested(4, eligible[2]!.peer, all); // told peers are not told again
    expect(eligible.map((p) => p.sent)).toEqual([[4, 5], [4, 5], []]);
  });

  it('a peer hears at most 64 suggestions', () => {
    const reader = fakePeer();
    const listener = fakePeer();
    const suggester = new PieceSuggester();
    for (let round = 0; round < 5; round++) {
      for (let piece = 0; piece < PIECE_COUNT; piece++) suggester.pieceRequested(piece, reader.peer, [listener.peer]);
    }
    expect(listener.sent).toHaveLength(PIECE_COUNT); // each piece once
    const many = new PieceSuggester();
    const big = fakePeer({ pieceCount: 200 });
    for (let piece = 0; piece < 200; piece++) many.pieceRequested(piece, reader.peer, [big.peer]);
    expect(big.sent).toHaveLength(64);
  });
});
