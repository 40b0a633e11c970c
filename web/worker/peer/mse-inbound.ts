// An inbound peer under the encryption setting. Plaintext peers are refused under 'require';
// MSE/PE peers (the gateway began their receiver handshake and handed over S) are refused under
// 'plaintext', else the handshake is finished here and the stream is seen through it.
import { MseReceiver } from '../../../shared/mse/receiver.ts';
import type { ByteStream, InboundMse } from '../transport.ts';
import type { EncryptionMode } from './encryption-mode.ts';
import { runMseHandshake } from './mse-handshake-run.ts';

/** The rest of an inbound MSE handshake: the gateway's slot deadline already ran for the first half. */
export const INBOUND_MSE_TIMEOUT_MS = 10_000;

/** Why the setting refuses this inbound peer, or undefined when it may go on. */
export function inboundRefusal(mse: InboundMse | undefined, mode: EncryptionMode): string | undefined {
  if (!mse && mode === 'require') return 'plaintext peers are refused: encryption is required';
  if (mse && mode === 'plaintext') return 'encrypted peers are refused: plaintext only';
  return undefined;
}

/** Finishes an MSE/PE receiver handshake; null when it failed (the stream is closed). */
export async function finishInboundMse(
  stream: ByteStream, mse: InboundMse, mode: EncryptionMode, infoHash: Uint8Array,
  timeoutMs = INBOUND_MSE_TIMEOUT_MS,
): Promise<ByteStream | null> {
  const policy = mode === 'require' ? 'require-rc4' : 'prefer-rc4';
  try {
    const receiver = new MseReceiver({ policy, resume: { secret: mse.secret, infoHash } });
    const { stream: encrypted } = await runMseHandshake(stream, receiver, new Uint8Array(0), timeoutMs);
    return encrypted;
  } catch {
    if (!stream.closed) stream.close('bad MSE hand-off');
    return null;
  }
}
