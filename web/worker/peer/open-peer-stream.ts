// One connection attempt to a peer over one transport, with the engine's encryption setting:
//  - plaintext: the stream as connected;
//  - require:   the MSE/PE handshake offering RC4 only; its failure fails the attempt;
//  - prefer:    MSE offering RC4 and plaintext (as libtorrent does); a peer that closes or answers
//               garbage before the handshake ends gets one plaintext attempt over the same kind
//               (unless the caller makes that attempt itself: dial.ts's race), and, once it answers
//               that, is remembered so later dials skip the encrypted one.
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
  /**
   * Under 'prefer', whether a refusal of MSE is followed here by the plaintext attempt (default
   * true). A plaintext stream counts as connected before the peer says a word, so in a race it
   * would beat an encrypted handshake still under way on the other transport; the race turns this
   * off and falls back itself once no transport took MSE.
   */
  plaintextFallback?: boolean;
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
    if (options.encryption !== 'prefer' || options.plaintextFallback === false || !refusedMse(error)) throw error;
  }
  return openPlaintextFallback(transport, kind, address, options.timeoutMs, remembered);
}

/**
 * The plaintext attempt for a peer that refused MSE under 'prefer'. Remembered only once the peer
 * answers: a close during MSE may be something else (Transmission closes a second connection from
 * an address whose first is mid-handshake), and a peer that requires encryption takes the
 * plaintext connection only to hang up on our handshake.
 */
export async function openPlaintextFallback(
  transport: Transport, kind: StreamKind, address: PeerAddress, timeoutMs: number, remembered: PlaintextPeers = plaintextPeers,
): Promise<ByteStream> {
  return new FirstReplyStream(await transport.connect(kind, address, timeoutMs), () => remembered.remember(address));
}

async function encrypt(stream: ByteStream, options: PeerStreamOptions): Promise<ByteStream> {
  const policy = options.encryption === 'require' ? 'require-rc4' : 'prefer-rc4';
  const initiator = new MseInitiator({ policy, infoHash: options.infoHash });
  const { stream: encrypted } = await runMseHandshake(stream, initiator, initiator.start(), options.timeoutMs);
  return encrypted;
}

/** A peer that hung up or spoke something else: likely one that takes plaintext only. */
export function refusedMse(error: unknown): boolean {
  return error instanceof MseHandshakeError && error.code !== 'timeout';
}
