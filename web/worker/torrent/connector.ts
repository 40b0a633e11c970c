import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import { dialPeer } from '../peer/dial.ts';
import type { PeerConnection } from '../peer/peer-connection.ts';
import type { EncryptionMode } from '../peer/encryption-mode.ts';
import type { Swarm } from './swarm.ts';

export const MAX_PEERS = 40;
const MAX_CONNECTING = 12;

/** What the connector needs to know about its torrent. */
export interface ConnectorHost {
  /** The gateway link now; undefined while it is down (nothing is dialled then). */
  transport(): Transport | undefined;
  /** Connected peers right now. */
  peerCount(): number;
  /** Whether to dial out (while downloading; a seed waits for peers to come). */
  dialing(): boolean;
  /** The torrent's info-hash (MSE's SKEY). */
  readonly infoHash: Uint8Array;
  /** The peer encryption setting now. */
  encryption(): EncryptionMode;
  /** Whether to keep connections at all (false once stopped: late ones are closed). */
  running(): boolean;
  /** A stream is up: wrap it in a PeerConnection. */
  onStream(stream: ByteStream, inbound: boolean): void;
}

/**
 * Keeps a torrent connected: dials addresses from the swarm (TCP or uTP, see dialPeer), within
 * the connection limits, accepts inbound peers, and learns which transport an address wants.
 */
export class Connector {
  private connecting = 0;
  private readonly kinds = new WeakMap<ByteStream, StreamKind>();

  constructor(
    private readonly swarm: Swarm,
    private readonly host: ConnectorHost,
    private readonly limits = { maxPeers: MAX_PEERS, maxConnecting: MAX_CONNECTING },
  ) {}

  /** Dials as many known addresses as the limits allow. */
  connectMore(): void {
    const room = Math.min(this.limits.maxPeers - this.host.peerCount() - this.connecting, this.limits.maxConnecting - this.connecting);
    if (room <= 0 || !this.host.dialing() || !this.host.transport()) return;
    for (const address of this.swarm.next(room)) void this.dial(address);
  }

  accept(stream: ByteStream): void {
    if (!this.host.running() || this.host.peerCount() >= this.limits.maxPeers || this.swarm.isBanned(stream.remote)) return stream.close('busy');
    this.host.onStream(stream, true);
  }

  /** A peer went away: back its address off, or try uTP if it dropped TCP before the handshake. */
  peerClosed(peer: PeerConnection): void {
    const droppedBeforeHandshake = !peer.handshaken && !peer.inbound;
    const remote = peer.stream.remote;
    if (droppedBeforeHandshake && this.kinds.get(peer.stream) === 'tcp' && this.swarm.kindFor(remote) === 'tcp') {
      this.swarm.preferUtp(remote);
    } else {
      this.swarm.markDisconnected(remote, droppedBeforeHandshake);
    }
  }

  private async dial(address: PeerAddress): Promise<void> {
    this.connecting++;
    try {
      const transport = this.host.transport();
      if (!transport) return;
      const { stream, kind } = await dialPeer(transport, address, this.swarm.kindFor(address), {
        infoHash: this.host.infoHash, encryption: this.host.encryption(),
      });
      if (!this.host.running()) return stream.close();
      this.kinds.set(stream, kind);
      this.host.onStream(stream, false);
    } catch {
      this.swarm.markDisconnected(address, true);
    } finally {
      this.connecting--;
    }
  }
}
