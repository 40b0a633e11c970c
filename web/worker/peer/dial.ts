import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';
import type { EncryptionMode } from './encryption-mode.ts';
import { openPeerStream } from './open-peer-stream.ts';

const CONNECT_TIMEOUT_MS = 10_000;

export interface DialOptions {
  infoHash: Uint8Array;
  encryption: EncryptionMode;
}

/**
 * Connects to a peer through the gateway: over `first` (TCP unless we learned otherwise), then
 * over the other transport when that fails — many peers behind NAT take only uTP. The gateway
 * speaks uTP, so either way we get a plain stream.
 */
export async function dialPeer(
  transport: Transport, address: PeerAddress, first: StreamKind, options: DialOptions,
): Promise<{ stream: ByteStream; kind: StreamKind }> {
  const second: StreamKind = first === 'tcp' ? 'utp' : 'tcp';
  const attempt = (kind: StreamKind) => openPeerStream(transport, kind, address, { ...options, timeoutMs: CONNECT_TIMEOUT_MS });
  try {
    return { stream: await attempt(first), kind: first };
  } catch (firstError) {
    try {
      return { stream: await attempt(second), kind: second };
    } catch {
      throw firstError;
    }
  }
}
