// An inbound MSE/PE connection, up to where it names its torrent: Yb answers Ya, HASH('req1', S)
// is found within PadA's bound, and HASH('req2', SKEY) from the router's index of the info-hashes
// tabs LISTEN for picks the tab. The tab gets S and the bytes after the SKEY hash, and finishes the
// handshake itself: the gateway keeps no key and runs no RC4 for the connection's life (SECURITY.md).
import { MseError } from '../../shared/mse/errors.ts';
import { MseSkeyReader } from '../../shared/mse/skey-reader.ts';
import type { InboundRouter } from './inbound-router.ts';
import type { PeerSocket } from './tcp-stream.ts';

export interface MseRouteEvents {
  /** The socket went to a tab (or to nobody, and was destroyed): the handshake slot is free. */
  routed(): void;
  /** Hostile or unknown: close the socket. */
  refused(): void;
}

export class MseRoute {
  private readonly reader: MseSkeyReader;
  private done = false;

  constructor(
    private readonly socket: PeerSocket,
    private readonly router: InboundRouter,
    private readonly events: MseRouteEvents,
  ) {
    this.reader = new MseSkeyReader({ lookup: (req2) => router.infoHashForReq2(req2) });
  }

  push(chunk: Uint8Array): void {
    if (this.done) return;
    let step;
    try {
      step = this.reader.push(chunk);
    } catch (error) {
      if (!(error instanceof MseError)) throw error;
      this.done = true;
      return this.events.refused();
    }
    if (step.send.length > 0) this.socket.write(step.send);
    if (!step.found) return;
    this.done = true;
    this.socket.pause();
    this.events.routed();
    const { infoHash, secret, rest } = step.found;
    if (!this.router.route(infoHash, this.socket, rest, { secret })) this.socket.destroy();
  }
}
