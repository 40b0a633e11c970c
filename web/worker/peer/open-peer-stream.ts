// One connection attempt to a peer over one transport, with the torrent's encryption setting.
// (MSE/PE is wired here: see shared/mse.)
import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import type { EncryptionMode } from './encryption-mode.ts';

export interface PeerStreamOptions {
  /** The torrent the connection is for (MSE's SKEY). */
  infoHash: Uint8Array;
  encryption: EncryptionMode;
  timeoutMs: number;
}

export async function openPeerStream(transport: Transport, kind: StreamKind, address: PeerAddress, options: PeerStreamOptions): Promise<ByteStream> {
  return transport.connect(kind, address, options.timeoutMs);
}
