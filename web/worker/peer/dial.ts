import type { ByteStream, PeerAddress, Transport } from '../transport.ts';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to a peer through the gateway: TCP first, then uTP (BEP 29) when TCP fails — many
 * peers behind NAT take only uTP. The gateway speaks uTP, so either way we get a plain stream.
 */
export async function dialPeer(transport: Transport, address: PeerAddress): Promise<ByteStream> {
  try {
    return await transport.connect('tcp', address, CONNECT_TIMEOUT_MS);
  } catch (tcpError) {
    try {
      return await transport.connect('utp', address, CONNECT_TIMEOUT_MS);
    } catch {
      throw tcpError;
    }
  }
}
