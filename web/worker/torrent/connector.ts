import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import { dialPeer } from '../peer/dial.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import type { EncryptionMode } from '../peer/encryption-mode.ts';
import type { Swarm } from './swarm.ts';
import { noteTransport, transportOf } from '../peer/connection-description.ts';

export const MAX_PEERS = 40;
const MAX_CONNECTING = 12;

/** What the connector needs to know about its torrent. */
export interface ConnectorHost {
  /** The gateway link now; undefined while it is down (nothing is dialled then). */
  transport(): Transport | undefined;
  /** Connected peers right now. */
  peerCount(): number;
  /** Whether to dial out (downloading or seeding; never while paused or stopped). */
  dialing(): boolean;
  /** We have every piece we want: peers known to be seeds are not dialled. */
  seeding?(): boolean;
  /** The torrent's info-hash (MSE's SKEY). */
  readonly infoHash: Uint8Array;
  /** The peer encryption setting now. */
  encryption(): EncryptionMode;
  /** Whether to keep connections at all (false once stopped: late ones are closed). */
  running(): boolean;
  /** A stream is up: wrap it in a PeerConnection. */
  onStream(stream: ByteStream, inbound: boolean): void;
}

export interface ConnectorLimits {
  maxPeers: number;
  maxConnecting: number;
  /** How long uTP has a new peer to itself before TCP joins (dial.ts UTP_HEAD_START_MS). */
  utpHeadStartMs?: number;
}

/**
 * Keeps a torrent connected: dials addresses from the swarm (uTP and TCP, see dialPeer), within
 * the connection limits, accepts inbound peers, and remembers per address which transport worked.
 */
export class Connector {
  private connecting = 0;

  constructor(
    private readonly swarm: Swarm,
    private readonly host: ConnectorHost,
    private readonly limits: ConnectorLimits = { maxPeers: MAX_PEERS, maxConnecting: MAX_CONNECTING },
  ) {}

  /** Dials as many known addresses as the limits allow. */
  connectMore(): void {
    const room = Math.min(this.limits.maxPeers - this.host.peerCount() - this.connecting, this.limits.maxConnecting - this.connecting);
    if (room <= 0 || !this.host.dialing() || !this.host.transport()) return;
    for (const address of this.swarm.next(room, Date.now(), { skipSeeds: this.host.seeding?.() ?? false })) void this.dial(address);
  }

  accept(stream: ByteStream): void {
    if (!this.host.running() || this.host.peerCount() >= this.limits.maxPeers || this.swarm.isBanned(stream.remote)) return stream.close('busy');
    this.host.onStream(stream, true);
  }

  /** A peer got through the handshake: the transport that reached it is the one to use next time. */
  peerReady(peer: PeerConnection): void {
    this.swarm.markConnected(peer.stream.remote, dialledKind(peer));
  }

  /** A peer went away: back its address off, or try the other transport if it dropped ours before the handshake. */
  peerClosed(peer: PeerConnection): void {
    const remote = peer.stream.remote;
    const kind = dialledKind(peer);
    if (!peer.handshaken && kind) {
      this.swarm.droppedBeforeHandshake(remote, kind);
      this.connectMore(); // the other transport now, not at the next tick (a magnet's first piece waits on it)
    } else {
      this.swarm.markDisconnected(remote, !peer.handshaken && !peer.inbound);
    }
  }

  private async dial(address: PeerAddress): Promise<void> {
    this.connecting++;
    try {
      const transport = this.host.transport();
      if (!transport) return;
      const { stream, kind } = await dialPeer(transport, address, this.swarm.kindFor(address), {
        infoHash: this.host.infoHash, encryption: this.host.encryption(), utpHeadStartMs: this.limits.utpHeadStartMs,
      });
      if (!this.host.running()) { this.swarm.markDisconnected(address, false); return stream.close(); }
      noteTransport(stream, kind); // for the swarm's memory, PEX and the peer table
      this.host.onStream(stream, false);
    } catch {
      this.swarm.markDisconnected(address, true);
    } finally {
      this.connecting--;
    }
  }
}

/** The transport we dialled a peer over; undefined for one that dialled us (its port is not its listener). */
function dialledKind(peer: PeerConnection): StreamKind | undefined {
  return peer.inbound ? undefined : transportOf(peer.stream);
}
