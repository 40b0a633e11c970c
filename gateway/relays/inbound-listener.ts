// The gateway's inbound BitTorrent TCP listener: each connection's handshake is read
// (handshake-reader.ts) and the socket handed to a session that LISTENs for its info-hash
// (inbound-router.ts). Inbound uTP streams (gateway/utp) go through the same reading and routing.
import { createServer, type Server } from 'node:net';
import { contained } from '../last-resort.ts';
import { createHandshakeReader } from './handshake-reader.ts';
import type { InboundRouter } from './inbound-router.ts';

// Where sessions and the gateway have always found them.
export { createHandshakeReader } from './handshake-reader.ts';
export { InboundRouter, type InboundHandler } from './inbound-router.ts';

export function startInboundListener(host: string, port: number, router: InboundRouter): Promise<Server> {
  const server = createServer({ noDelay: true }, contained('an inbound peer connection', createHandshakeReader(router)));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
