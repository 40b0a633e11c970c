import {
  MessageFramer, UT_METADATA, decodeExtendedHandshake, decodeMetadataMessage, encodeExtendedHandshake, encodeHandshake,
  encodeMessage, encodeMetadataMessage, makeReserved, supportsExtensionProtocol, type FramedItem, type MetadataMessage,
} from '../../../shared/peer-wire/index.ts';
import { Bitfield } from '../../../shared/bitfield.ts';
import { equalBytes } from '../../../shared/bytes.ts';
import type { ByteStream } from '../transport.ts';
import { CLIENT_NAME } from '../peer-id.ts';

/** Our local extended-message id for ut_metadata (BEP 10: each side picks its own). */
export const LOCAL_UT_METADATA_ID = 3;
const HANDSHAKE_TIMEOUT_MS = 15_000;

export interface MetadataPeerHost {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  /** The peer's BitTorrent handshake came: the transport that reached it works. */
  onMetadataPeerHandshake(peer: MetadataPeer): void;
  onMetadataSize(peer: MetadataPeer, totalSize: number): void;
  onMetadataMessage(peer: MetadataPeer, message: MetadataMessage): void;
  onMetadataPeerClosed(peer: MetadataPeer, reason: string): void;
}

/**
 * A peer connection used only to fetch the info dict of a magnet link (BEP 9 over BEP 10):
 * handshake, extension handshake, ut_metadata requests. Pieces are not exchanged here.
 */
export class MetadataPeer {
  closed = false;
  /** The peer's BitTorrent handshake came (a drop before it says something about the transport). */
  handshaken = false;
  remoteMetadataId = 0;
  /**
   * Pieces the peer says it has: its BITFIELD's set bits, Infinity after HAVE_ALL. Compared with
   * the piece count once the metadata is known, to hand the torrent its seeds.
   */
  piecesHeld = 0;
  private readonly framer = new MessageFramer({ expectHandshake: true });
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(readonly stream: ByteStream, private readonly host: MetadataPeerHost) {
    stream.onData = (bytes) => this.onBytes(bytes);
    stream.onClose = (error) => this.finish(error ?? 'closed');
    this.timer = setTimeout(() => this.close('no metadata handshake in time'), HANDSHAKE_TIMEOUT_MS);
    stream.write(encodeHandshake({ reserved: makeReserved({ extensionProtocol: true }), infoHash: host.infoHash, peerId: host.peerId }));
  }

  get key(): string {
    return `${this.stream.remote.host}:${this.stream.remote.port}`;
  }

  request(piece: number): void {
    this.sendMetadata({ type: 'request', piece });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.stream.close(reason);
    this.finish(reason);
  }

  private sendMetadata(message: MetadataMessage): void {
    if (this.closed || this.remoteMetadataId === 0) return;
    this.stream.write(encodeMessage({ type: 'extended', extendedId: this.remoteMetadataId, payload: encodeMetadataMessage(message) }));
  }

  private onBytes(bytes: Uint8Array): void {
    try {
      for (const item of this.framer.push(bytes)) if (!this.closed) this.handle(item);
    } catch (error) {
      this.close((error as Error).message);
    }
  }

  private handle(item: FramedItem): void {
    if (item.type === 'handshake') {
      if (!equalBytes(item.handshake.infoHash, this.host.infoHash)) throw new Error('the peer is on another torrent');
      if (equalBytes(item.handshake.peerId, this.host.peerId)) throw new Error('connected to ourselves');
      if (!supportsExtensionProtocol(item.handshake.reserved)) throw new Error('the peer cannot send metadata (no BEP 10)');
      const m = new Map([[UT_METADATA, LOCAL_UT_METADATA_ID]]);
      this.stream.write(encodeMessage({ type: 'extended', extendedId: 0, payload: encodeExtendedHandshake({ m, v: CLIENT_NAME }) }));
      this.handshaken = true;
      this.host.onMetadataPeerHandshake(this);
      return;
    }
    if (item.type === 'bitfield') this.piecesHeld = new Bitfield(item.bytes.length * 8, item.bytes).count;
    if (item.type === 'have-all') this.piecesHeld = Infinity;
    if (item.type !== 'extended') return; // haves, chokes: not needed for metadata
    if (item.extendedId === 0) return this.onExtendedHandshake(item.payload);
    if (item.extendedId === LOCAL_UT_METADATA_ID) this.host.onMetadataMessage(this, decodeMetadataMessage(item.payload));
  }

  private onExtendedHandshake(payload: Uint8Array): void {
    clearTimeout(this.timer);
    const handshake = decodeExtendedHandshake(payload);
    this.remoteMetadataId = handshake.m.get(UT_METADATA) ?? 0;
    if (this.remoteMetadataId === 0 || !handshake.metadataSize) return this.close('the peer does not offer metadata');
    this.host.onMetadataSize(this, handshake.metadataSize);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.host.onMetadataPeerClosed(this, reason);
  }
}
