import { Bitfield } from '../../../shared/bitfield.ts';
import {
  MessageFramer, PeerWireError, blockByteLength, type BlockBytes, encodeHandshake, encodeMessage, encodePieceHeader, makeReserved, supportsDht, supportsExtensionProtocol,
  supportsFastExtension, type BlockRef, type FramedItem, type PeerMessage, type PexMessage,
} from '../../../shared/peer-wire/index.ts';
import { ALLOWED_FAST_COUNT, allowedFastSet } from '../../../shared/peer-wire/allowed-fast.ts';
import { equalBytes } from '../../../shared/bytes.ts';
import { toHex } from '../../../shared/hex.ts';
import type { ByteStream, PeerAddress } from '../transport.ts';
import { RateMeter } from '../rate-meter.ts';
import { RequestQueue } from './request-queue.ts';
import { ExtensionProtocol } from './extension-protocol.ts';

/** What a peer connection reports to its torrent. The torrent decides; the peer only speaks. */
export interface PeerHost {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly pieceCount: number;
  readonly listenPort: number;
  /** Our verified pieces, sent as the initial bitfield. */
  readonly have: Bitfield;
  /** The raw info dict, served to peers that ask for it (BEP 9). */
  readonly infoBytes: Uint8Array;
  /** Peer exchange (BEP 11) is on: off for private torrents (BEP 27). */
  readonly pexEnabled: boolean;
  onPeerExchange(peer: PeerConnection, message: PexMessage): void;
  /** BEP 6: the peer allows us a piece while it chokes us (requests may go out now). */
  onAllowedFast?(peer: PeerConnection): void;
  /** BEP 6: the peer suggests a piece (its `suggested` list changed). */
  onSuggest?(peer: PeerConnection): void;
  /** The peer says it sees us at this address (BEP 10 `yourip`). */
  onAddressReported?(peer: PeerConnection, address: string): void;
  /** Our DHT node's UDP port (at the gateway), 0 when the DHT is off: sent in PORT (BEP 5). */
  readonly dhtPort?: number;
  /** The peer's DHT node listens on this UDP port (BEP 5 PORT). */
  onDhtPort?(peer: PeerConnection, port: number): void;
  onPeerReady(peer: PeerConnection): void;
  onPeerHas(peer: PeerConnection, piece: number | 'all'): void;
  onPeerUnchoked(peer: PeerConnection): void;
  onPeerChoked(peer: PeerConnection, returned: BlockRef[]): void;
  /** A block we asked for; `bytes` are views into received data: copy them before returning. */
  onBlock(peer: PeerConnection, block: BlockRef, bytes: BlockBytes): void;
  onBlockRejected(peer: PeerConnection, block: BlockRef): void;
  onPeerRequest(peer: PeerConnection, block: BlockRef): void;
  /** The stream took what was queued (after `sendBlocked`): more PIECEs may go. */
  onPeerWritable?(peer: PeerConnection): void;
  onPeerInterestChanged(peer: PeerConnection): void;
  onPeerClosed(peer: PeerConnection, reason: string, returned: BlockRef[]): void;
}

const HANDSHAKE_TIMEOUT_MS = 15_000;
const MAX_PEER_REQUESTS = 500; // their requests we queue before calling it a flood
const MAX_BLOCK_BYTES = 128 * 1024;
/** Allowed fast pieces we keep from one peer: a few canonical sets' worth. */
const MAX_ALLOWED_FAST = 4 * ALLOWED_FAST_COUNT;
/** Suggested pieces we keep from one peer (BEP 6), the most recent. */
const MAX_SUGGESTED = 8;
/** BEP 3: peers drop connections silent for about two minutes, so we speak at least this often. */
const KEEP_ALIVE_MS = 90_000;
/**
 * One keep-alive this long after our opening messages if nothing followed them: Transmission 3.00
 * over uTP reads only the handshake from the packet that carries it and leaves the rest (our
 * extension handshake and HAVE_ALL) unread until more bytes arrive — a seed would never be seen.
 */
const OPENING_NUDGE_MS = 1000;
const IDLE_TIMEOUT_MS = 180_000;

/** One BitTorrent peer over a relayed stream (BEP 3, with BEP 6 and BEP 10 handshakes). */
export class PeerConnection {
  readonly key: string;
  readonly bitfield: Bitfield;
  readonly downloadRate = new RateMeter();
  readonly uploadRate = new RateMeter();
  readonly requests = new RequestQueue();
  remotePeerId?: Uint8Array;
  /** They choke us / we choke them; interest likewise. BEP 3 starts choked and not interested. */
  peerChoking = true;
  /** BEP 6: pieces this peer lets us request while it chokes us. */
  readonly allowedFast = new Set<number>();
  /** BEP 6: pieces the peer suggested, most recent first (at most MAX_SUGGESTED). */
  readonly suggested: number[] = [];
  /** BEP 6: pieces we let this peer request while we choke it (its allowed fast set, those we have). */
  private readonly grantedFast = new Set<number>();
  peerInterested = false;
  amChoking = true;
  amInterested = false;
  fast = false;
  handshaken = false;
  closed = false;
  readonly connectedAt = Date.now();
  private readonly framer = new MessageFramer({ expectHandshake: true });
  private handshakeTimer?: ReturnType<typeof setTimeout>;
  private readonly theirRequests: BlockRef[] = [];
  private sendFull = false; // the stream said it is above its high-water mark
  private lastSentAt = Date.now();
  private lastReceivedAt = Date.now();
  private nudged = false;
  /** BITFIELD, HAVE_ALL and HAVE_NONE are only valid as the first message (BEP 3, BEP 6). */
  private availabilityAllowed = true;
  private readonly extensions: ExtensionProtocol;

  constructor(readonly stream: ByteStream, private readonly host: PeerHost, readonly inbound: boolean) {
    this.key = `${stream.remote.host}:${stream.remote.port}`;
    this.bitfield = new Bitfield(host.pieceCount);
    this.extensions = new ExtensionProtocol(
      host,
      (extendedId, payload) => this.send({ type: 'extended', extendedId, payload }),
      (message) => host.onPeerExchange(this, message),
      (address) => host.onAddressReported?.(this, address),
    );
    stream.onData = (bytes) => this.onBytes(bytes);
    stream.onClose = (error) => this.finish(error ?? 'the peer closed the connection');
    stream.onDrain = () => {
      this.sendFull = false;
      this.host.onPeerWritable?.(this);
    };
    this.handshakeTimer = setTimeout(() => this.close('no handshake in time'), HANDSHAKE_TIMEOUT_MS);
    if (!inbound) this.sendHandshake();
  }

  /** The peer's maximum outstanding requests (BEP 10 `reqq`), default 250 like libtorrent. */
  get maxRequests(): number { return this.extensions.maxRequests ?? 250; }
  get clientName(): string { return this.extensions.clientName; }
  /** The peer's extended-message id for ut_pex (0: it does not speak BEP 11). */
  get remotePexId(): number { return this.extensions.remotePexId; }

  get id(): string {
    return this.remotePeerId ? toHex(this.remotePeerId) : this.key;
  }

  /** Requests we may still add to the pipeline. */
  get requestSlots(): number {
    return Math.max(0, Math.min(this.maxRequests, this.requests.targetDepth(this.downloadRate.bytesPerSecond)) - this.requests.size);
  }

  setInterested(interested: boolean): void {
    if (this.amInterested === interested || this.closed) return;
    this.amInterested = interested;
    this.send({ type: interested ? 'interested' : 'not-interested' });
  }

  setChoking(choking: boolean): void {
    if (this.amChoking === choking || this.closed) return;
    this.amChoking = choking;
    this.send({ type: choking ? 'choke' : 'unchoke' });
    if (choking) this.rejectQueuedRequests();
  }

  request(block: BlockRef): void {
    this.requests.add(block);
    this.send({ type: 'request', ...block });
  }

  cancel(block: BlockRef): void {
    if (!this.requests.remove(block)) return;
    this.send({ type: 'cancel', ...block });
  }

  /** Where other peers can reach this one: its address if we dialled it, else its listen port. */
  get dialableAddress(): PeerAddress | undefined {
    const remote = this.stream.remote;
    if (!this.inbound) return remote;
    const port = this.extensions.remoteListenPort;
    return port ? { host: remote.host, port } : undefined;
  }

  /** Sends a BEP 11 message if the peer speaks ut_pex. */
  sendPex(message: PexMessage): void {
    this.extensions.sendPex(message);
  }

  /** BEP 6: suggests a piece to a peer with the fast extension. */
  sendSuggest(piece: number): void {
    if (this.fast) this.send({ type: 'suggest', piece });
  }

  sendHave(piece: number): void {
    this.send({ type: 'have', piece });
  }

  /** Our stream is above its high-water mark: hold PIECEs until the host hears onPeerWritable. */
  get sendBlocked(): boolean {
    return this.sendFull;
  }

  sendPiece(block: BlockRef, bytes: Uint8Array): void {
    if (this.closed) return;
    const index = this.theirRequests.findIndex((r) => r.piece === block.piece && r.offset === block.offset);
    if (index < 0) return; // cancelled meanwhile
    this.theirRequests.splice(index, 1);
    // Header and block as two writes: the block (a view of the cached piece) is copied once, into the frame.
    this.stream.write(encodePieceHeader(block.piece, block.offset, bytes.length));
    if (!this.stream.write(bytes)) this.sendFull = true;
    this.uploadRate.add(bytes.length);
  }

  /** The peer still waits for this block (not cancelled, nor dropped by a choke). */
  awaits(block: BlockRef): boolean {
    return !this.closed && this.theirRequests.some((r) => r.piece === block.piece && r.offset === block.offset);
  }

  /** Refuses one of its requests (our upload queue is full): a BEP 6 reject, or dropped silently. */
  refuseRequest(block: BlockRef): void {
    const index = this.theirRequests.findIndex((r) => r.piece === block.piece && r.offset === block.offset);
    if (index < 0) return;
    this.theirRequests.splice(index, 1);
    if (this.fast) this.send({ type: 'reject', piece: block.piece, offset: block.offset, length: block.length });
  }

  close(reason: string): void {
    if (this.closed) return;
    // Finish first: a stream's close fires onClose, which would report a generic reason instead.
    this.finish(reason);
    this.stream.close(reason);
  }

  private sendHandshake(): void {
    const reserved = makeReserved({ extensionProtocol: true, fast: true, dht: (this.host.dhtPort ?? 0) > 0 });
    this.stream.write(encodeHandshake({ reserved, infoHash: this.host.infoHash, peerId: this.host.peerId }));
  }

  private send(message: PeerMessage): void {
    if (this.closed) return;
    this.lastSentAt = Date.now();
    this.stream.write(encodeMessage(message));
  }

  /** Called about once a second by the torrent: keep-alives out, silent peers dropped. */
  tick(now = Date.now()): void {
    if (now - this.lastReceivedAt > IDLE_TIMEOUT_MS) return this.close('silent for 3 minutes');
    if (!this.handshaken) return;
    const quietFor = now - this.lastSentAt;
    if (quietFor > KEEP_ALIVE_MS || (!this.nudged && quietFor >= OPENING_NUDGE_MS)) this.send({ type: 'keep-alive' });
    this.nudged ||= quietFor >= OPENING_NUDGE_MS;
  }

  private onBytes(bytes: Uint8Array): void {
    this.lastReceivedAt = Date.now();
    let items: FramedItem[];
    try {
      items = this.framer.push(bytes);
    } catch (error) {
      return this.close(error instanceof PeerWireError ? error.message : String(error));
    }
    for (const item of items) {
      if (this.closed) return;
      try {
        this.handle(item);
      } catch (error) {
        return this.close((error as Error).message);
      }
    }
  }

  private handle(item: FramedItem): void {
    if (item.type === 'handshake') return this.onHandshake(item.handshake);
    const isAvailability = item.type === 'bitfield' || item.type === 'have-all' || item.type === 'have-none';
    // Late availability is a protocol slip, not an attack: aria2 sends its BITFIELD again mid-
    // connection. What it adds counts as HAVEs; it cannot take back a piece a peer once had.
    if (isAvailability && !this.availabilityAllowed) return this.onLateAvailability(item);
    // The extension handshake and keep-alives may precede the availability message.
    if (item.type !== 'extended' && item.type !== 'keep-alive') this.availabilityAllowed = false;
    switch (item.type) {
      case 'keep-alive': return;
      case 'choke': return this.onChoke();
      case 'unchoke':
        this.peerChoking = false;
        return this.host.onPeerUnchoked(this);
      case 'interested':
      case 'not-interested':
        this.peerInterested = item.type === 'interested';
        return this.host.onPeerInterestChanged(this);
      case 'have': return this.onHave(item.piece);
      case 'bitfield': return this.onBitfield(item.bytes);
      case 'have-all': return this.onHaveAll();
      case 'have-none': return this.requireFast('HAVE_NONE');
      case 'request': return this.onRequest(item);
      case 'cancel': return this.onCancel(item);
      case 'piece': return this.onPiece(item.piece, item.offset, item.block);
      case 'piece-parts': return this.onPiece(item.piece, item.offset, item.parts);
      case 'reject': return this.onReject(item);
      case 'extended': return this.extensions.onMessage(item.extendedId, item.payload);
      case 'allowed-fast': return this.onAllowedFast(item.piece);
      case 'suggest': return this.onSuggest(item.piece);
      case 'port': return this.onDhtPort(item.port);
      default: return; // unknown: nothing to do
    }
  }

  private onHandshake(handshake: { infoHash: Uint8Array; peerId: Uint8Array; reserved: Uint8Array }): void {
    if (!equalBytes(handshake.infoHash, this.host.infoHash)) throw new Error('the peer is on another torrent');
    if (equalBytes(handshake.peerId, this.host.peerId)) throw new Error('connected to ourselves');
    clearTimeout(this.handshakeTimer);
    this.remotePeerId = handshake.peerId.slice();
    this.fast = supportsFastExtension(handshake.reserved);
    if (this.inbound) this.sendHandshake();
    this.handshaken = true;
    if (supportsExtensionProtocol(handshake.reserved)) {
      this.send({ type: 'extended', extendedId: 0, payload: this.extensions.handshake(MAX_PEER_REQUESTS, this.stream.remote.host) });
    }
    this.sendAvailability();
    // BEP 5: both ends run a DHT node; ours is reached on the gateway's UDP port.
    const dhtPort = this.host.dhtPort ?? 0;
    if (dhtPort > 0 && supportsDht(handshake.reserved)) this.send({ type: 'port', port: dhtPort });
    this.grantAllowedFast();
    this.host.onPeerReady(this);
  }

  /** BEP 5 PORT: the peer's DHT node, at its address. Port 0 means nothing. */
  private onDhtPort(port: number): void {
    if (port > 0) this.host.onDhtPort?.(this, port);
  }

  private sendAvailability(): void {
    const have = this.host.have;
    if (this.fast && have.count === 0) return this.send({ type: 'have-none' });
    if (this.fast && have.isComplete) return this.send({ type: 'have-all' });
    if (have.count > 0) this.send({ type: 'bitfield', bytes: have.bytes });
  }

  /** BEP 6: the canonical allowed fast set of the peer's address, those pieces we have. */
  private grantAllowedFast(): void {
    if (!this.fast) return;
    for (const piece of allowedFastSet(this.stream.remote.host, this.host.infoHash, this.host.pieceCount)) {
      if (!this.host.have.get(piece)) continue;
      this.grantedFast.add(piece);
      this.send({ type: 'allowed-fast', piece });
    }
  }

  private onAllowedFast(piece: number): void {
    this.requireFast('ALLOWED_FAST');
    // Pieces past the end and sets larger than a canonical one are ignored, not trusted.
    if (piece >= this.host.pieceCount || this.allowedFast.size >= MAX_ALLOWED_FAST) return;
    this.allowedFast.add(piece);
    this.host.onAllowedFast?.(this);
  }

  private onSuggest(piece: number): void {
    this.requireFast('SUGGEST_PIECE');
    if (piece >= this.host.pieceCount) return; // past the end: ignored, as allowed fast
    const known = this.suggested.indexOf(piece);
    if (known >= 0) this.suggested.splice(known, 1);
    this.suggested.unshift(piece);
    if (this.suggested.length > MAX_SUGGESTED) this.suggested.pop();
    this.host.onSuggest?.(this);
  }

  private onChoke(): void {
    this.peerChoking = true;
    // BEP 6: with the fast extension, a choke does not cancel requests (rejects come one by one).
    const returned = this.fast ? [] : this.requests.clear();
    this.host.onPeerChoked(this, returned);
  }

  private onHave(piece: number): void {
    if (piece >= this.host.pieceCount) throw new Error(`HAVE for piece ${piece} beyond the torrent`);
    if (this.bitfield.get(piece)) return;
    this.bitfield.set(piece);
    this.host.onPeerHas(this, piece);
  }

  private onBitfield(bytes: Uint8Array): void {
    const parsed = Bitfield.fromBytes(bytes, this.host.pieceCount);
    for (let i = 0; i < this.host.pieceCount; i++) if (parsed.get(i)) this.bitfield.set(i);
    this.host.onPeerHas(this, 'all');
  }

  private onLateAvailability(item: FramedItem & { type: 'bitfield' | 'have-all' | 'have-none' }): void {
    if (item.type === 'have-none') return this.requireFast('HAVE_NONE');
    if (item.type === 'have-all') this.requireFast('HAVE_ALL');
    const parsed = item.type === 'bitfield' ? Bitfield.fromBytes(item.bytes, this.host.pieceCount) : undefined;
    for (let i = 0; i < this.host.pieceCount; i++) if (!parsed || parsed.get(i)) this.onHave(i);
  }

  private onHaveAll(): void {
    this.requireFast('HAVE_ALL');
    for (let i = 0; i < this.host.pieceCount; i++) this.bitfield.set(i);
    this.host.onPeerHas(this, 'all');
  }

  private requireFast(what: string): void {
    if (!this.fast) throw new Error(`${what} without the fast extension`);
  }

  private onRequest(block: BlockRef): void {
    if (block.length > MAX_BLOCK_BYTES || block.piece >= this.host.pieceCount) throw new Error('invalid request');
    if (this.amChoking && !this.grantedFast.has(block.piece)) {
      // Not `...block`: it is the REQUEST message, and its `type` would overwrite 'reject'.
      if (this.fast) this.send({ type: 'reject', piece: block.piece, offset: block.offset, length: block.length });
      return;
    }
    if (this.theirRequests.length >= MAX_PEER_REQUESTS) throw new Error('the peer flooded us with requests');
    this.theirRequests.push({ piece: block.piece, offset: block.offset, length: block.length });
    this.host.onPeerRequest(this, block);
  }

  private onCancel(block: BlockRef): void {
    const index = this.theirRequests.findIndex((r) => r.piece === block.piece && r.offset === block.offset);
    if (index >= 0) this.theirRequests.splice(index, 1);
  }

  private onPiece(piece: number, offset: number, bytes: BlockBytes): void {
    const block = { piece, offset, length: blockByteLength(bytes) };
    if (!this.requests.remove(block)) return; // unrequested or cancelled (endgame): ignore it
    this.downloadRate.add(block.length);
    this.host.onBlock(this, block, bytes);
  }

  private onReject(block: BlockRef): void {
    this.requireFast('REJECT');
    if (this.requests.remove(block)) this.host.onBlockRejected(this, block);
  }

  private rejectQueuedRequests(): void {
    if (this.fast) for (const block of this.theirRequests) this.send({ type: 'reject', ...block });
    this.theirRequests.length = 0;
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.host.onPeerClosed(this, reason, this.requests.clear());
  }
}
