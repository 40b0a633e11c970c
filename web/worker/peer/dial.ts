import type { ByteStream, PeerAddress, StreamKind, Transport } from '../transport.ts';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to a peer through the gateway: over `first` (TCP unless we learned otherwise), then
 * over the other transport when that fails — many peers behind NAT take only uTP. The gateway
 * speaks uTP, so either way we get a plain stream.
 */
export async function dialPeer(transport: Transport, address: PeerAddress, first: StreamKind = 'tcp'): Promise<{ stream: ByteStream; kind: StreamKind }> {
  const second: StreamKind = first === 'tcp' ? 'utp' : 'tcp';
  try {
    return { stream: await transport.connect(first, address, CONNECT_TIMEOUT_MS), kind: first };
  } catch (firstError) {
    try {
      return { stream: await transport.connect(second, address, CONNECT_TIMEOUT_MS), kind: second };
    } catch {
      throw firstError;
    }
  }
}
