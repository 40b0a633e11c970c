// The gateway's inbound BitTorrent TCP listener: each connection's handshake is read
// (handshake-reader.ts) and the socket handed to a session that LISTENs for its info-hash
// (inbound-router.ts). Inbound uTP streams (gateway/utp) go through the same reading and routing.
import { createServer, type Server } from 'node:net';
import { contained } from '../last-resort.ts';
import { createHandshakeReader } from './handshake-reader.ts';
import type { InboundRouter } from './inbound-router.ts';

// Where sessions and the gateway have always found them.
export { createHandshakeReader } from './handshake-reader.ts';
export { InboundRouter, type InboundHandler, type InboundMse } from './inbound-router.ts';

export function startInboundListener(host: string, port: number, router: InboundRouter): Promise<Server> {
  const server = createServer({ noDelay: true }, contained('an inbound peer connection', createHandshakeReader(router)));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // ipv6Only false (Node's default, said here because it matters): `::` takes IPv4 peers too.
    server.listen({ port, host, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/**
 * Where peers reach us when --peer-host is not given: `::`, which Node binds dual-stack
 * (`ipv6Only` is false by default, so IPv4 peers arrive as ::ffff:a.b.c.d), else 0.0.0.0.
 */
export const DEFAULT_PEER_HOSTS: readonly string[] = ['::', '0.0.0.0'];

/** Why binding an address failed because the port is taken or forbidden, the same on any address. */
const PORT_ERRORS = new Set(['EADDRINUSE', 'EACCES']);

/**
 * Binds with the first of `hosts` that works (a machine without IPv6 cannot bind `::`). A port
 * already taken or not allowed is that port's problem, not the address family's: no fallback.
 */
export async function bindFirstPeerHost<T>(hosts: readonly string[], bind: (host: string) => Promise<T>): Promise<{ host: string; bound: T }> {
  for (let i = 0; ; i++) {
    const host = hosts[i]!;
    try {
      return { host, bound: await bind(host) };
    } catch (err) {
      if (i === hosts.length - 1 || PORT_ERRORS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    }
  }
}
