// The gateway's inbound BitTorrent TCP listener. It reads the 68-byte handshake of each
// connection (BEP 3: pstrlen 19, "BitTorrent protocol", 8 reserved bytes, info-hash, peer id)
// and hands the socket to a session that LISTENs for that info-hash; anything else is closed.
// Inbound uTP streams (gateway/utp) go through the same reading and routing.
import { createServer, type Server } from 'node:net';
import type { PeerSocket } from './tcp-stream.ts';

export const HANDSHAKE_BYTES = 68;
export const HANDSHAKE_TIMEOUT_MS = 10_000;
const PROTOCOL = Buffer.from('\x13BitTorrent protocol', 'latin1');
const INFO_HASH_OFFSET = 28;
/** Connections still sending their handshake, at most. */
const MAX_PENDING_HANDSHAKES = 256;

/** A session's side of a registration: takes the socket, or refuses it (returns false). */
export type InboundHandler = (socket: PeerSocket, firstBytes: Uint8Array) => boolean;

interface Registration {
  owner: object;
  listenId: number;
  handler: InboundHandler;
}

/** info-hash (hex) → registrations, newest last. */
export class InboundRouter {
  private readonly byHash = new Map<string, Registration[]>();

  add(infoHash: Uint8Array, owner: object, listenId: number, handler: InboundHandler): void {
    const key = Buffer.from(infoHash).toString('hex');
    this.remove(owner, listenId);
    const list = this.byHash.get(key) ?? [];
    list.push({ owner, listenId, handler });
    this.byHash.set(key, list);
  }

  remove(owner: object, listenId: number): void {
    for (const [key, list] of this.byHash) {
      const kept = list.filter((r) => r.owner !== owner || r.listenId !== listenId);
      if (kept.length === 0) this.byHash.delete(key);
      else if (kept.length !== list.length) this.byHash.set(key, kept);
    }
  }

  removeOwner(owner: object): void {
    for (const [key, list] of this.byHash) {
      const kept = list.filter((r) => r.owner !== owner);
      if (kept.length === 0) this.byHash.delete(key);
      else if (kept.length !== list.length) this.byHash.set(key, kept);
    }
  }

  get size(): number {
    let n = 0;
    for (const list of this.byHash.values()) n += list.length;
    return n;
  }

  /** Offers the socket to the newest registration first; false if nobody took it. */
  route(infoHash: Uint8Array, socket: PeerSocket, firstBytes: Uint8Array): boolean {
    const list = this.byHash.get(Buffer.from(infoHash).toString('hex')) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.handler(socket, firstBytes)) return true;
    }
    return false;
  }
}

/** Reads the handshake of one inbound connection, then routes or closes it. */
function readHandshake(socket: PeerSocket, router: InboundRouter, done: () => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    socket.off('data', onData);
    socket.off('close', finish);
    clearTimeout(timer);
    done();
  };
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.byteLength;
    const head = Buffer.concat(chunks);
    if (!head.subarray(0, PROTOCOL.length).equals(PROTOCOL.subarray(0, Math.min(head.length, PROTOCOL.length)))) {
      finish();
      socket.destroy();
      return;
    }
    if (length < HANDSHAKE_BYTES) return;
    socket.pause();
    finish();
    const infoHash = head.subarray(INFO_HASH_OFFSET, INFO_HASH_OFFSET + 20);
    if (!router.route(infoHash, socket, new Uint8Array(head))) socket.destroy();
  };
  const timer = setTimeout(() => {
    finish();
    socket.destroy();
  }, HANDSHAKE_TIMEOUT_MS);
  socket.on('data', onData);
  socket.on('close', finish);
  socket.on('error', () => socket.destroy());
}

/** Reads handshakes of inbound connections, at most MAX_PENDING_HANDSHAKES at a time. */
export function createHandshakeReader(router: InboundRouter): (socket: PeerSocket) => void {
  let pending = 0;
  return (socket) => {
    if (pending >= MAX_PENDING_HANDSHAKES) {
      socket.destroy();
      return;
    }
    pending++;
    readHandshake(socket, router, () => pending--);
  };
}

export function startInboundListener(host: string, port: number, router: InboundRouter): Promise<Server> {
  const server = createServer({ noDelay: true }, createHandshakeReader(router));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
