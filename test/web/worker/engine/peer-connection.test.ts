// PeerConnection over an in-memory stream with a recording PeerHost: handshakes, availability,
// requests both ways, hostile peers (wrong torrent, ourselves, bad bitfields, floods).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bitfield } from '../../../../shared/bitfield.ts';
import {
  MessageFramer, encodeExtendedHandshake, encodeHandshake, encodeMessage, makeReserved,
  supportsDht, supportsExtensionProtocol, supportsFastExtension, type BlockBytes, type BlockRef, type FramedItem, type PeerMessage,
  UT_PEX, decodeExtendedHandshake, decodePexMessage, encodePexMessage, type PexMessage,
} from '../../../../shared/peer-wire/index.ts';
import { bencode } from '../../../../shared/bencode/index.ts';
import { PeerConnection, type PeerHost } from '../../../../web/worker/peer/peer-connection.ts';
import { allowedFastSet } from '../../../../shared/peer-wire/allowed-fast.ts';
import { LOCAL_UT_PEX_ID } from '../../../../web/worker/peer/extension-protocol.ts';
import { RecordingStream } from './fake-stream.ts';

const PIECE_COUNT = 10;
const INFO_HASH = new Uint8Array(20).fill(0xab);
const OUR_ID = new Uint8Array(20).fill(0x11);
const THEIR_ID = new Uint8Array(20).fill(0x22);

class RecordingHost implements PeerHost {
  readonly infoHash = INFO_HASH;
  readonly peerId = OUR_ID;
  readonly pieceCount = PIECE_COUNT;
  readonly listenPort = 0;
  readonly have = new Bitfield(PIECE_COUNT);
  readonly infoBytes = new Uint8Array(100);
  pexEnabled = true;
  readonly exchanged: PexMessage[] = [];
  ready = 0;
  unchoked = 0;
  interestChanges = 0;
  readonly has: (number | 'all')[] = [];
  readonly choked: BlockRef[][] = [];
  readonly blocks: { block: BlockRef; bytes: number[] }[] = [];
  readonly rejected: BlockRef[] = [];
  readonly requests: BlockRef[] = [];
  readonly closed: { reason: string; returned: BlockRef[] }[] = [];

  onPeerReady(): void { this.ready++; }
  onPeerHas(_peer: PeerConnection, piece: number | 'all'): void { this.has.push(piece); }
  onPeerUnchoked(): void { this.unchoked++; }
  onPeerChoked(_peer: PeerConnection, returned: BlockRef[]): void { this.choked.push(returned); }
  onBlock(_peer: PeerConnection, block: BlockRef, bytes: BlockBytes): void {
    this.blocks.push({ block, bytes: bytes instanceof Uint8Array ? [...bytes] : bytes.flatMap((part) => [...part]) });
  }
  onBlockRejected(_peer: PeerConnection, block: BlockRef): void { this.rejected.push(ref(block)); }
  onPeerRequest(_peer: PeerConnection, block: BlockRef): void { this.requests.push(ref(block)); }
  onPeerInterestChanged(): void { this.interestChanges++; }
  onPeerClosed(_peer: PeerConnection, reason: string, returned: BlockRef[]): void { this.closed.push({ reason, returned }); }
  onPeerExchange(_peer: PeerConnection, message: PexMessage): void { this.exchanged.push(message); }
  readonly reportedAddresses: string[] = [];
  onAddressReported(_peer: PeerConnection, address: string): void { this.reportedAddresses.push(address); }
  allowedFastCalls = 0;
  onAllowedFast(): void { this.allowedFastCalls++; }
}

/** Just the block fields (the peer may hand over the whole decoded message). */
const ref = ({ piece, offset, length }: BlockRef): BlockRef => ({ piece, offset, length });

const opened: PeerConnection[] = [];

afterEach(() => {
  for (const peer of opened.splice(0)) peer.close('test over');
  vi.useRealTimers();
});

function theirHandshake(options: { fast?: boolean; extensions?: boolean; infoHash?: Uint8Array; peerId?: Uint8Array } = {}): Uint8Array {
  return encodeHandshake({
    reserved: makeReserved({ fast: options.fast ?? true, extensionProtocol: options.extensions ?? true }),
    infoHash: options.infoHash ?? INFO_HASH,
    peerId: options.peerId ?? THEIR_ID,
  });
}

function open(options: { inbound?: boolean } = {}) {
  const stream = new RecordingStream();
  const host = new RecordingHost();
  const peer = new PeerConnection(stream, host, options.inbound ?? false);
  opened.push(peer);
  return { stream, host, peer };
}

/** An outbound connection after both handshakes. */
function connected(options: { fast?: boolean; extensions?: boolean } = {}) {
  const parts = open();
  parts.stream.feed(theirHandshake(options));
  expect(parts.peer.handshaken).toBe(true);
  return parts;
}

function send(stream: RecordingStream, ...messages: PeerMessage[]): void {
  for (const message of messages) stream.feed(encodeMessage(message));
}

/** What we wrote, as the remote peer would parse it. */
function written(stream: RecordingStream): FramedItem[] {
  return new MessageFramer({ expectHandshake: true }).push(stream.allWritten());
}

function writtenTypes(stream: RecordingStream): string[] {
  return written(stream).map((item) => item.type);
}

const block = (piece: number, offset = 0, length = 16384): BlockRef => ({ piece, offset, length });

describe('PeerConnection handshake', () => {
  it('sends our handshake at construction with the extension-protocol and fast bits', () => {
    const { stream } = open();
    const [first] = written(stream);
    expect(first?.type).toBe('handshake');
    if (first?.type !== 'handshake') return;
    expect([...first.handshake.infoHash]).toEqual([...INFO_HASH]);
    expect([...first.handshake.peerId]).toEqual([...OUR_ID]);
    expect(supportsExtensionProtocol(first.handshake.reserved)).toBe(true);
    expect(supportsFastExtension(first.handshake.reserved)).toBe(true);
  });

  it('inbound: answers only once the remote handshake has arrived', () => {
    const { stream, host } = open({ inbound: true });
    expect(stream.written).toHaveLength(0);
    stream.feed(theirHandshake());
    expect(writtenTypes(stream)[0]).toBe('handshake');
    expect(host.ready).toBe(1);
  });

  it('after the handshake sends the extension handshake and HAVE_NONE to a fast peer with nothing to offer', () => {
    const { stream, host, peer } = connected();
    expect(writtenTypes(stream)).toEqual(['handshake', 'extended', 'have-none']);
    expect(host.ready).toBe(1);
    expect(peer.fast).toBe(true);
    expect([...peer.remotePeerId!]).toEqual([...THEIR_ID]);
  });

  it('sends a BITFIELD of our pieces to a peer without the fast extension', () => {
    const stream = new RecordingStream();
    const host = new RecordingHost();
    host.have.set(1);
    host.have.set(8);
    opened.push(new PeerConnection(stream, host, false));
    stream.feed(theirHandshake({ fast: false, extensions: false }));
    const items = written(stream);
    expect(items.map((i) => i.type)).toEqual(['handshake', 'bitfield']);
    const bitfield = items[1]!;
    if (bitfield.type !== 'bitfield') return;
    expect(Bitfield.fromBytes(bitfield.bytes, PIECE_COUNT).toString()).toBe('0100000010');
  });

  it('closes a peer whose handshake names another torrent', () => {
    const { stream, host, peer } = open();
    stream.feed(theirHandshake({ infoHash: new Uint8Array(20).fill(0xcd) }));
    expect(peer.closed).toBe(true);
    expect(stream.closed).toBe(true);
    expect(host.ready).toBe(0);
    expect(host.closed).toHaveLength(1);
    expect(host.closed[0]!.reason).toBe('the peer is on another torrent');
  });

  it('closes a connection to ourselves', () => {
    const { stream, host, peer } = open();
    stream.feed(theirHandshake({ peerId: OUR_ID }));
    expect(peer.closed).toBe(true);
    expect(host.closed.map((c) => c.reason)).toEqual(['connected to ourselves']);
    expect(stream.closeReason).toBe('connected to ourselves');
  });

  it('closes when no handshake arrives within 15 s', () => {
    vi.useFakeTimers();
    const { host, peer } = open();
    vi.advanceTimersByTime(14_999);
    expect(peer.closed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(peer.closed).toBe(true);
    expect(host.closed.map((c) => c.reason)).toEqual(['no handshake in time']);
  });

  it('closes on a wrong protocol string at once', () => {
    const { stream, peer } = open();
    stream.feed(Uint8Array.of(19, 0x58));
    expect(peer.closed).toBe(true);
  });
});

describe('PeerConnection availability', () => {
  it('BITFIELD sets the peer bits and reports all', () => {
    const { stream, host, peer } = connected();
    const theirs = new Bitfield(PIECE_COUNT);
    for (const i of [0, 3, 9]) theirs.set(i);
    send(stream, { type: 'bitfield', bytes: theirs.bytes });
    expect(host.has).toEqual(['all']);
    expect(peer.bitfield.toString()).toBe('1001000001');
    expect(peer.closed).toBe(false);
  });

  it('closes a peer whose BITFIELD has spare bits set', () => {
    const { stream, host, peer } = connected();
    send(stream, { type: 'bitfield', bytes: Uint8Array.of(0xff, 0xff) }); // 16 bits for 10 pieces
    expect(peer.closed).toBe(true);
    expect(host.has).toEqual([]);
    expect(host.closed[0]!.reason).toMatch(/spare bits/);
  });

  it('closes a peer whose BITFIELD has the wrong length', () => {
    const { stream, peer } = connected();
    send(stream, { type: 'bitfield', bytes: Uint8Array.of(0xff) });
    expect(peer.closed).toBe(true);
  });

  it('HAVE sets one bit and reports it once; HAVE beyond the piece count closes', () => {
    const { stream, host, peer } = connected();
    send(stream, { type: 'have', piece: 9 }, { type: 'have', piece: 9 });
    expect(host.has).toEqual([9]);
    expect(peer.bitfield.get(9)).toBe(true);
    send(stream, { type: 'have', piece: PIECE_COUNT });
    expect(peer.closed).toBe(true);
    expect(host.closed[0]!.reason).toMatch(/beyond the torrent/);
  });

  it('HAVE_ALL from a fast peer sets every bit; without the fast extension it closes', () => {
    const fast = connected();
    send(fast.stream, { type: 'have-all' });
    expect(fast.peer.bitfield.isComplete).toBe(true);
    expect(fast.host.has).toEqual(['all']);

    const slow = connected({ fast: false });
    send(slow.stream, { type: 'have-all' });
    expect(slow.peer.closed).toBe(true);
    expect(slow.host.closed[0]!.reason).toMatch(/without the fast extension/);
  });
});

describe('PeerConnection availability order and liveness', () => {
  it('takes a BITFIELD after other messages as HAVEs of what it adds (aria2 sends it again mid-connection)', () => {
    const { stream, host, peer } = connected();
    const late = new Bitfield(PIECE_COUNT);
    for (const i of [1, 4]) late.set(i);
    send(stream, { type: 'have', piece: 1 }, { type: 'bitfield', bytes: late.bytes });
    expect(peer.closed).toBe(false);
    expect(host.has).toEqual([1, 4]);
    // Nothing is taken back, and a late bitfield with spare bits still closes.
    send(stream, { type: 'bitfield', bytes: new Bitfield(PIECE_COUNT).bytes });
    expect(peer.bitfield.toString()).toBe('0100100000');
    send(stream, { type: 'bitfield', bytes: Uint8Array.of(0xff, 0xff) });
    expect(peer.closed).toBe(true);
  });

  it('takes a late HAVE_ALL from a fast peer as HAVEs of the rest', () => {
    const { stream, host, peer } = connected();
    send(stream, { type: 'have', piece: 2 }, { type: 'have-all' });
    expect(peer.closed).toBe(false);
    expect(peer.bitfield.isComplete).toBe(true);
    expect(host.has).toEqual([2, 0, 1, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('accepts BITFIELD after the extension handshake and keep-alives', () => {
    const { stream, host, peer } = connected();
    send(stream, { type: 'keep-alive' }, { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map() }) });
    send(stream, { type: 'bitfield', bytes: new Uint8Array(2) });
    expect(peer.closed).toBe(false);
    expect(host.has).toEqual(['all']);
  });

  it('sends a keep-alive after 90 s of our silence and drops a peer silent for 3 minutes', () => {
    vi.useFakeTimers();
    const { stream, host, peer } = connected();
    const start = Date.now();
    const count = () => written(stream).filter((i) => i.type === 'keep-alive').length;
    // One nudge a second after our opening messages (Transmission over uTP reads them only when
    // more bytes come), then keep-alives only after 90 s of silence.
    peer.tick(start + 999);
    expect(count()).toBe(0);
    peer.tick(start + 1000);
    expect(count()).toBe(1);
    peer.tick(start + 2000);
    expect(count()).toBe(1);
    peer.tick(start + 90_000);
    expect(count()).toBe(1);
    peer.tick(start + 90_001);
    expect(count()).toBe(2);
    peer.tick(start + 180_000);
    expect(peer.closed).toBe(false);
    peer.tick(start + 180_001);
    expect(peer.closed).toBe(true);
    expect(host.closed[0]!.reason).toBe('silent for 3 minutes');
  });
});

describe('PeerConnection blocks we request', () => {
  it('ignores a PIECE we did not request and hands a requested one to the host once', () => {
    const { stream, host, peer } = connected();
    const bytes = Uint8Array.from({ length: 16384 }, (_, i) => i & 0xff);
    send(stream, { type: 'piece', piece: 2, offset: 0, block: bytes });
    expect(host.blocks).toHaveLength(0);
    expect(peer.closed).toBe(false);

    peer.request(block(2));
    expect(written(stream).at(-1)).toEqual({ type: 'request', piece: 2, offset: 0, length: 16384 });
    send(stream, { type: 'piece', piece: 2, offset: 0, block: bytes });
    send(stream, { type: 'piece', piece: 2, offset: 0, block: bytes });
    expect(host.blocks).toHaveLength(1);
    expect(host.blocks[0]!.block).toEqual(block(2));
    expect(host.blocks[0]!.bytes).toEqual([...bytes]);
    expect(peer.requests.size).toBe(0);
    expect(peer.downloadRate.total).toBe(16384);
  });

  it('ignores a PIECE whose length differs from the request', () => {
    const { stream, host, peer } = connected();
    peer.request(block(1));
    send(stream, { type: 'piece', piece: 1, offset: 0, block: new Uint8Array(100) });
    expect(host.blocks).toHaveLength(0);
    expect(peer.requests.size).toBe(1);
  });

  it('CHOKE without the fast extension returns the outstanding requests to the host', () => {
    const { stream, host, peer } = connected({ fast: false });
    send(stream, { type: 'unchoke' });
    expect(host.unchoked).toBe(1);
    expect(peer.peerChoking).toBe(false);
    peer.request(block(0));
    peer.request(block(0, 16384));
    send(stream, { type: 'choke' });
    expect(peer.peerChoking).toBe(true);
    expect(host.choked).toEqual([[block(0), block(0, 16384)]]);
    expect(peer.requests.size).toBe(0);
  });

  it('CHOKE with the fast extension keeps requests; each REJECT returns one', () => {
    const { stream, host, peer } = connected({ fast: true });
    peer.request(block(0));
    peer.request(block(1));
    send(stream, { type: 'choke' });
    expect(host.choked).toEqual([[]]);
    expect(peer.requests.size).toBe(2);
    send(stream, { type: 'reject', ...block(1) });
    expect(host.rejected).toEqual([block(1)]);
    expect(peer.requests.size).toBe(1);
  });

  it('caps maxRequests by the extension handshake reqq', () => {
    const { stream, peer } = connected();
    expect(peer.requestSlots).toBe(4); // the pipeline minimum at rate 0
    send(stream, { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map(), reqq: 3, v: 'Test 1.0' }) });
    expect(peer.maxRequests).toBe(3);
    expect(peer.clientName).toBe('Test 1.0');
    expect(peer.requestSlots).toBe(3);
    peer.request(block(0));
    expect(peer.requestSlots).toBe(2);
    send(stream, { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map(), reqq: 1_000_000 }) });
    expect(peer.maxRequests).toBe(2000);
  });
});

describe('PeerConnection requests from the peer', () => {
  it('REJECTs requests while we choke a fast peer and does not pass them on', () => {
    const { stream, host, peer } = connected({ fast: true });
    send(stream, { type: 'interested' });
    expect(peer.peerInterested).toBe(true);
    expect(host.interestChanges).toBe(1);
    send(stream, { type: 'request', ...block(4, 16384) });
    expect(host.requests).toHaveLength(0);
    expect(written(stream).at(-1)).toEqual({ type: 'reject', piece: 4, offset: 16384, length: 16384 });
    expect(peer.closed).toBe(false);
  });

  it('passes requests on once unchoked, serves them with PIECE and drops cancelled ones', () => {
    const { stream, host, peer } = connected();
    peer.setChoking(false);
    expect(written(stream).at(-1)).toEqual({ type: 'unchoke' });
    send(stream, { type: 'request', ...block(3) }, { type: 'request', ...block(5) }, { type: 'cancel', ...block(5) });
    expect(host.requests).toEqual([block(3), block(5)]);
    const data = new Uint8Array(16384).fill(7);
    peer.sendPiece(block(3), data);
    peer.sendPiece(block(5), data); // cancelled meanwhile: not sent
    const pieces = written(stream).filter((i) => i.type === 'piece');
    expect(pieces).toHaveLength(1);
    expect(pieces[0]).toMatchObject({ piece: 3, offset: 0 });
    expect(peer.uploadRate.total).toBe(16384);
  });

  it('closes a peer that floods us with more than 500 requests while unchoked', () => {
    const { stream, host, peer } = connected();
    peer.setChoking(false);
    const flood: Uint8Array[] = [];
    for (let i = 0; i < 500; i++) flood.push(encodeMessage({ type: 'request', piece: i % PIECE_COUNT, offset: Math.floor(i / PIECE_COUNT) * 16384, length: 16384 }));
    for (const message of flood) stream.feed(message);
    expect(peer.closed).toBe(false);
    expect(host.requests).toHaveLength(500);
    send(stream, { type: 'request', ...block(0, 50 * 16384) });
    expect(peer.closed).toBe(true);
    expect(stream.closeReason).toBe('the peer flooded us with requests');
    expect(host.closed.map((c) => c.reason)).toEqual(['the peer flooded us with requests']);
  });

  it('closes on a request for more than 128 KiB or beyond the piece count', () => {
    const big = connected();
    big.peer.setChoking(false);
    send(big.stream, { type: 'request', piece: 0, offset: 0, length: 256 * 1024 });
    expect(big.peer.closed).toBe(true);

    const beyond = connected();
    beyond.peer.setChoking(false);
    send(beyond.stream, { type: 'request', ...block(PIECE_COUNT) });
    expect(beyond.peer.closed).toBe(true);
  });

  it('choking a fast peer REJECTs the requests it has queued', () => {
    const { stream, host, peer } = connected({ fast: true });
    peer.setChoking(false);
    send(stream, { type: 'request', ...block(1) }, { type: 'request', ...block(2) });
    expect(host.requests).toHaveLength(2);
    peer.setChoking(true);
    const tail = written(stream).slice(-3);
    expect(tail).toEqual([{ type: 'choke' }, { type: 'reject', ...block(1) }, { type: 'reject', ...block(2) }]);
    peer.sendPiece(block(1), new Uint8Array(16384)); // no longer queued
    expect(written(stream).filter((i) => i.type === 'piece')).toHaveLength(0);
  });
});

describe('PeerConnection framing', () => {
  it('handles a session fed one byte at a time', () => {
    const { stream, host, peer } = open();
    peer.request(block(6, 0, 100));
    const theirs = new Bitfield(PIECE_COUNT);
    theirs.set(6);
    const session = [
      theirHandshake(),
      encodeMessage({ type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map(), reqq: 7 }) }),
      encodeMessage({ type: 'bitfield', bytes: theirs.bytes }),
      encodeMessage({ type: 'have', piece: 2 }),
      encodeMessage({ type: 'keep-alive' }),
      encodeMessage({ type: 'unchoke' }),
      encodeMessage({ type: 'piece', piece: 6, offset: 0, block: new Uint8Array(100).fill(9) }),
    ];
    for (const message of session) for (const byte of message) stream.feed(Uint8Array.of(byte));
    expect(peer.closed).toBe(false);
    expect(host.ready).toBe(1);
    expect(peer.maxRequests).toBe(7);
    expect(host.has).toEqual(['all', 2]);
    expect(peer.bitfield.toString()).toBe('0010001000');
    expect(host.unchoked).toBe(1);
    expect(host.blocks).toEqual([{ block: block(6, 0, 100), bytes: new Array(100).fill(9) }]);
  });

  it('returns outstanding requests when the peer hangs up', () => {
    const { stream, host, peer } = connected();
    peer.request(block(3));
    stream.remoteClose('connection reset');
    expect(peer.closed).toBe(true);
    expect(host.closed).toEqual([{ reason: 'connection reset', returned: [block(3)] }]);
  });
});

describe('PeerConnection allowed fast (BEP 6)', () => {
  it('grants the pieces we have of the canonical set for its address, and serves those while choking it', () => {
    const { stream, host } = open();
    host.have.set(3);
    host.have.set(7);
    stream.feed(theirHandshake({ fast: true }));
    const granted = written(stream).flatMap((item) => (item.type === 'allowed-fast' ? [item.piece] : []));
    expect(allowedFastSet(stream.remote.host, INFO_HASH, PIECE_COUNT)).toEqual(expect.arrayContaining([3, 7]));
    expect(granted.sort()).toEqual([3, 7]);
    send(stream, { type: 'request', ...block(7) }, { type: 'request', ...block(4) });
    expect(host.requests).toEqual([block(7)]); // served although we choke it
    expect(written(stream).at(-1)).toEqual({ type: 'reject', piece: 4, offset: 0, length: 16384 });
  });

  it('records what a peer allows us while it chokes (bounded, inside the torrent) and tells the host', () => {
    const { stream, host, peer } = connected({ fast: true });
    send(stream, { type: 'allowed-fast', piece: 2 }, { type: 'allowed-fast', piece: 99 });
    expect([...peer.allowedFast]).toEqual([2]);
    expect(host.allowedFastCalls).toBe(1);
    const plain = connected({ fast: false });
    send(plain.stream, { type: 'allowed-fast', piece: 2 });
    expect(plain.peer.closed).toBe(true); // not without the fast extension
  });
});

describe('PeerConnection yourip (BEP 10)', () => {
  it('tells the peer the address we see it at, and passes on the one it sees us at', () => {
    const { stream, host } = connected();
    const ours = written(stream).find((i) => i.type === 'extended' && i.extendedId === 0);
    if (ours?.type !== 'extended') throw new Error('no extension handshake sent');
    expect([...decodeExtendedHandshake(ours.payload).yourip ?? []]).toEqual(stream.remote.host.split('.').map(Number));
    send(stream, { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map(), yourip: Uint8Array.of(203, 0, 113, 9) }) });
    expect(host.reportedAddresses).toEqual(['203.0.113.9']);
  });
});

describe('PeerConnection peer exchange (BEP 11)', () => {
  function pexPeer(options: { inbound?: boolean; pexEnabled?: boolean } = {}) {
    const stream = new RecordingStream();
    const host = new RecordingHost();
    host.pexEnabled = options.pexEnabled ?? true;
    const peer = new PeerConnection(stream, host, options.inbound ?? false);
    opened.push(peer);
    stream.feed(theirHandshake());
    // Their extension handshake: ut_pex is their message 7, and they listen on 51413.
    send(stream, { type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m: new Map([[UT_PEX, 7]]), p: 51413 }) });
    return { stream, host, peer };
  }

  function ourExtensionIds(stream: RecordingStream): ReadonlyMap<string, number> {
    const item = written(stream).find((i) => i.type === 'extended' && i.extendedId === 0);
    if (item?.type !== 'extended') throw new Error('no extension handshake');
    return decodeExtendedHandshake(item.payload).m;
  }

  it('offers ut_pex, learns the peer\'s id and listen port, and hands its peers to the torrent', () => {
    const { stream, host, peer } = pexPeer({ inbound: true });
    expect(ourExtensionIds(stream).get(UT_PEX)).toBe(LOCAL_UT_PEX_ID);
    expect(peer.remotePexId).toBe(7);
    expect(peer.dialableAddress).toEqual({ host: '192.0.2.1', port: 51413 }); // its address, its listen port
    send(stream, { type: 'extended', extendedId: LOCAL_UT_PEX_ID, payload: encodePexMessage({ added: [{ host: '192.0.2.7', port: 6881 }], dropped: [] }) });
    expect(host.exchanged).toEqual([{ added: [{ host: '192.0.2.7', port: 6881, flags: 0 }], dropped: [] }]);
  });

  it('ignores a second message within the minute (a flood) and closes a peer that sends junk', () => {
    const { stream, host, peer } = pexPeer();
    const message = { type: 'extended' as const, extendedId: LOCAL_UT_PEX_ID, payload: encodePexMessage({ added: [{ host: '192.0.2.7', port: 6881 }], dropped: [] }) };
    send(stream, message, message, message);
    expect(host.exchanged).toHaveLength(1);
    vi.useFakeTimers({ now: Date.now() + 61_000 });
    send(stream, { type: 'extended', extendedId: LOCAL_UT_PEX_ID, payload: bencode(new Map([['added', new Uint8Array(7)]])) });
    expect(peer.closed).toBe(true);
    expect(host.closed[0]?.reason).toMatch(/ut_pex "added" of 7 bytes/);
  });

  it('sends PEX in the peer\'s own message id', () => {
    const { stream, peer } = pexPeer();
    peer.sendPex({ added: [{ host: '192.0.2.9', port: 1234 }], dropped: [] });
    const last = written(stream).at(-1);
    expect(last?.type === 'extended' && last.extendedId).toBe(7);
    if (last?.type !== 'extended') return;
    expect(decodePexMessage(last.payload).added).toEqual([{ host: '192.0.2.9', port: 1234, flags: 0 }]);
  });

  it('private torrents (BEP 27): no ut_pex offered, none sent, none taken', () => {
    const { stream, host, peer } = pexPeer({ pexEnabled: false });
    expect(ourExtensionIds(stream).has(UT_PEX)).toBe(false);
    const before = written(stream).length;
    peer.sendPex({ added: [{ host: '192.0.2.9', port: 1234 }], dropped: [] });
    expect(written(stream)).toHaveLength(before);
    send(stream, { type: 'extended', extendedId: LOCAL_UT_PEX_ID, payload: encodePexMessage({ added: [{ host: '192.0.2.7', port: 6881 }], dropped: [] }) });
    expect(host.exchanged).toHaveLength(0);
  });
});

describe('PeerConnection DHT port (BEP 5)', () => {
  function withDht(dhtPort: number, theirDht: boolean) {
    const stream = new RecordingStream();
    const host = Object.assign(new RecordingHost(), { dhtPort, dhtPorts: [] as number[] });
    (host as PeerHost).onDhtPort = (_peer, port) => host.dhtPorts.push(port);
    const peer = new PeerConnection(stream, host, false);
    opened.push(peer);
    stream.feed(encodeHandshake({ reserved: makeReserved({ fast: true, extensionProtocol: true, dht: theirDht }), infoHash: INFO_HASH, peerId: THEIR_ID }));
    return { stream, host };
  }

  it('sets the DHT bit and sends PORT to a peer that sets it too; a peer\'s PORT goes to the host', () => {
    const { stream, host } = withDht(7001, true);
    const [first] = written(stream);
    expect(first?.type === 'handshake' && supportsDht(first.handshake.reserved)).toBe(true);
    expect(written(stream).filter((item) => item.type === 'port')).toEqual([{ type: 'port', port: 7001 }]);
    send(stream, { type: 'port', port: 6881 }, { type: 'port', port: 0 });
    expect(host.dhtPorts).toEqual([6881]);
  });

  it('sends no PORT to a peer without the bit, nor with the DHT off (no bit then)', () => {
    expect(writtenTypes(withDht(7001, false).stream)).not.toContain('port');
    const off = withDht(0, true).stream;
    const [first] = written(off);
    expect(first?.type === 'handshake' && supportsDht(first.handshake.reserved)).toBe(false);
    expect(writtenTypes(off)).not.toContain('port');
  });
});
