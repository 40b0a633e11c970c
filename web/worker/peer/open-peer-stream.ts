// One connection attempt to a peer over one transport, with the engine's encryption setting:
//  - plaintext: the stream as connected;
//  - require:   the MSE/PE handshake offering RC4 only; its failure fails the attempt;
//  - prefer:    MSE offering RC4 and plaintext (as libtorrent does); a peer that closes or answers
//               garbage before the handshake ends gets one plaintext attempt over the same kind,
//               and, once it answers that, is remembered so later dials skip the encrypted one.
import { MseInitiator } from '../../../shared/mse/initiator.ts';
import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import type { EncryptionMode } from './encryption-mode.ts';
import { MseHandshakeError, runMseHandshake } from './mse-handshake-run.ts';
import { PlaintextPeers } from './plaintext-peers.ts';
import { FirstReplyStream } from './first-reply-stream.ts';

export interface PeerStreamOptions {
  /** The torrent the connection is for (MSE's SKEY). */
  infoHash: Uint8Array;
  encryption: EncryptionMode;
  /** For connecting, and again for the MSE handshake. */
  timeoutMs: number;
}

/** One per worker: what peers taught us holds for every torrent. */
const plaintextPeers = new PlaintextPeers();

export async function openPeerStream(
  transport: Transport, kind: StreamKind, address: PeerAddress, options: PeerStreamOptions,
  remembered: PlaintextPeers = plaintextPeers,
): Promise<ByteStream> {
  const connect = () => transport.connect(kind, address, options.timeoutMs);
  if (options.encryption === 'plaintext') return connect();
  if (options.encryption === 'prefer' && remembered.has(address)) return connect();
  const stream = await connect();
  try {
    return await encrypt(stream, options);
  } catch (error) {
    if (options.encryption !== 'prefer' || !refusedMse(error)) throw error;
  }
  // Remembered once the peer answers in plaintext: a close during MSE may be something else (a
  // second connection from our address refused), and a peer that requires encryption takes the
  // plaintext connection only to hang up on our handshake.
  return new FirstReplyStream(await connect(), () => remembered.remember(address));
}

async function encrypt(stream: ByteStream, options: PeerStreamOptions): Promise<ByteStream> {
  const policy = options.encryption === 'require' ? 'require-rc4' : 'prefer-rc4';
  const initiator = new MseInitiator({ policy, infoHash: options.infoHash });
  const { stream: encrypted } = await runMseHandshake(stream, initiator, initiator.start(), options.timeoutMs);
  return encrypted;
}

/** A peer that hung up or spoke something else: likely one that takes plaintext only. */
function refusedMse(error: unknown): boolean {
  return error instanceof MseHandshakeError && error.code !== 'timeout';
}
