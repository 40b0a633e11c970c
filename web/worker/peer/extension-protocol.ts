// BEP 10 for one peer connection: our extension handshake, what the peer's tells us, and the
// extension messages we answer: ut_metadata requests (we serve the info dict, BEP 9) and ut_pex
// (BEP 11). The connection owns the socket; this owns what the extensions mean.
import {
  METADATA_PIECE_BYTES, UT_METADATA, UT_PEX, decodeExtendedHandshake, decodeMetadataMessage, decodePexMessage,
  encodeExtendedHandshake, encodeMetadataMessage, encodePexMessage, type PexMessage,
} from '../../../shared/peer-wire/index.ts';
import { CLIENT_NAME } from '../peer-id.ts';
import { parseIPv4, parseIPv6 } from '../../../shared/dht/compact.ts';
import { formatIPv4, formatIPv6 } from '../../../shared/tracker/peers.ts';
import { LOCAL_UT_METADATA_ID } from '../magnet/metadata-peer.ts';

/** Our extended-message id for ut_pex (BEP 10: each side picks its own ids). */
export const LOCAL_UT_PEX_ID = 1;
/** BEP 11 asks for at most one PEX message a minute; ones closer than this are ignored. */
const MIN_PEX_INTERVAL_MS = 45_000;
/** The most requests we accept a peer to claim it allows (BEP 10 `reqq`). */
const MAX_REMOTE_REQQ = 2000;

/** What the extensions need from the torrent (a PeerHost has all of it). */
export interface ExtensionHost {
  readonly infoBytes: Uint8Array;
  readonly listenPort: number;
  readonly pexEnabled: boolean;
}

/** The remote's address as the 4 or 16 bytes of BEP 10 `yourip`, if it is an IP address. */
function addressBytes(host: string): Uint8Array | undefined {
  return parseIPv4(host) ?? parseIPv6(host);
}

export class ExtensionProtocol {
  /** The peer's extended-message ids (0: it does not speak that extension). */
  remoteMetadataId = 0;
  remotePexId = 0;
  /** The port the peer listens on (BEP 10 `p`). */
  remoteListenPort?: number;
  clientName = '';
  /** The peer's `reqq`, if it sent one. */
  maxRequests?: number;
  /** Our address as the peer says it sees it (BEP 10 `yourip`). */
  reportedAddress?: string;
  private lastPexReceivedAt = -Infinity;

  constructor(
    private readonly host: ExtensionHost,
    private readonly send: (extendedId: number, payload: Uint8Array) => void,
    private readonly onPeerExchange: (message: PexMessage) => void,
    private readonly onAddressReported: (address: string) => void = () => {},
  ) {}

  /** Our extension handshake, sent after the BitTorrent handshake. */
  handshake(maxPeerRequests: number, remoteHost: string): Uint8Array {
    const extensions = new Map([[UT_METADATA, LOCAL_UT_METADATA_ID]]);
    if (this.host.pexEnabled) extensions.set(UT_PEX, LOCAL_UT_PEX_ID);
    return encodeExtendedHandshake({
      m: extensions, v: CLIENT_NAME, reqq: maxPeerRequests,
      p: this.host.listenPort || undefined, metadataSize: this.host.infoBytes.length,
      yourip: addressBytes(remoteHost),
    });
  }

  /** An EXTENDED message from the peer; throws (a PeerWireError) on a malformed one. */
  onMessage(extendedId: number, payload: Uint8Array): void {
    if (extendedId === 0) return this.onHandshake(payload);
    if (extendedId === LOCAL_UT_METADATA_ID) return this.onMetadataRequest(payload);
    if (extendedId === LOCAL_UT_PEX_ID) return this.onPex(payload);
  }

  /** Sends a BEP 11 message if the peer speaks ut_pex. */
  sendPex(message: PexMessage): void {
    if (this.remotePexId === 0 || !this.host.pexEnabled) return;
    this.send(this.remotePexId, encodePexMessage(message));
  }

  private onHandshake(payload: Uint8Array): void {
    const handshake = decodeExtendedHandshake(payload);
    this.remoteMetadataId = handshake.m.get(UT_METADATA) ?? 0;
    this.remotePexId = handshake.m.get(UT_PEX) ?? 0;
    if (handshake.p) this.remoteListenPort = handshake.p;
    if (handshake.v) this.clientName = handshake.v.slice(0, 64);
    if (handshake.reqq && handshake.reqq > 0) this.maxRequests = Math.min(handshake.reqq, MAX_REMOTE_REQQ);
    if (handshake.yourip) {
      this.reportedAddress = handshake.yourip.length === 4 ? formatIPv4(handshake.yourip) : formatIPv6(handshake.yourip);
      this.onAddressReported(this.reportedAddress);
    }
  }

  /** BEP 9: answer a metadata request with that 16 KiB piece of the info dict. */
  private onMetadataRequest(payload: Uint8Array): void {
    const message = decodeMetadataMessage(payload);
    if (message.type !== 'request' || this.remoteMetadataId === 0) return;
    const info = this.host.infoBytes;
    const start = message.piece * METADATA_PIECE_BYTES;
    const reply = start < info.length
      ? encodeMetadataMessage({ type: 'data', piece: message.piece, totalSize: info.length, data: info.subarray(start, start + METADATA_PIECE_BYTES) })
      : encodeMetadataMessage({ type: 'reject', piece: message.piece });
    this.send(this.remoteMetadataId, reply);
  }

  /** BEP 11: peers this one knows. Too frequent messages are ignored, so one peer cannot flood. */
  private onPex(payload: Uint8Array): void {
    if (!this.host.pexEnabled) return;
    const now = Date.now();
    if (now - this.lastPexReceivedAt < MIN_PEX_INTERVAL_MS) return;
    this.lastPexReceivedAt = now;
    this.onPeerExchange(decodePexMessage(payload));
  }
}
