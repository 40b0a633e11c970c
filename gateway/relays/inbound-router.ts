// Which tab gets an inbound peer. LISTEN registrations are indexed both ways, by info-hash and by
// owner (a session), so adding and removing cost only the owner's own registrations, never a scan
// of every tab's. Several tabs on one info-hash (two people on one gateway downloading the same
// torrent) take its inbound peers in turn; a tab can only ever remove its own registrations.
// MSE/PE peers name their torrent by HASH('req2', info-hash): an index of those, kept with the
// info-hashes, answers them without hashing every registration per connection.
import { req2Hash } from '../../shared/mse/keys.ts';
import type { PeerSocket } from './tcp-stream.ts';

/** What the tab needs to finish an MSE/PE receiver handshake the gateway began. */
export interface InboundMse {
  /** S, the Diffie-Hellman secret (96 bytes). */
  secret: Uint8Array;
}

/**
 * A session's side of a registration: takes the socket, or refuses it (returns false).
 * `firstBytes`: the plaintext handshake and what followed it, or, with `mse`, the still
 * encrypted bytes after the SKEY hash.
 */
export type InboundHandler = (socket: PeerSocket, firstBytes: Uint8Array, mse?: InboundMse) => boolean;

interface Registration {
  infoHashKey: string;
  owner: object;
  listenId: number;
  handler: InboundHandler;
}

/** One owner's registrations, by listen id, oldest first. */
type OwnRegistrations = Map<number, Registration>;

/** One info-hash's owners in turn order: the owner to get the next peer comes first. */
type Listeners = Map<object, OwnRegistrations>;

/** The info-hash as a 20-character string (one char per byte): a cheap Map key. */
function keyOf(infoHash: Uint8Array): string {
  return String.fromCharCode.apply(null, infoHash as unknown as number[]);
}

export class InboundRouter {
  private readonly byInfoHash = new Map<string, Listeners>();
  private readonly byOwner = new Map<object, OwnRegistrations>();
  /** HASH('req2', info-hash) → info-hash, for the info-hashes in byInfoHash. */
  private readonly byReq2 = new Map<string, Uint8Array>();
  private count = 0;

  /** Registers `listenId` of `owner`; the owner's earlier registration under that id is replaced. */
  add(infoHash: Uint8Array, owner: object, listenId: number, handler: InboundHandler): void {
    this.remove(owner, listenId);
    const registration: Registration = { infoHashKey: keyOf(infoHash), owner, listenId, handler };
    getOrCreate(this.byOwner, owner, () => new Map()).set(listenId, registration);
    const listeners = getOrCreate(this.byInfoHash, registration.infoHashKey, () => {
      this.byReq2.set(keyOf(req2Hash(infoHash)), infoHash.slice());
      return new Map();
    });
    getOrCreate(listeners, owner, () => new Map()).set(listenId, registration);
    this.count++;
  }

  /** Removes the owner's registration `listenId`; other owners' registrations are never touched. */
  remove(owner: object, listenId: number): void {
    const own = this.byOwner.get(owner);
    const registration = own?.get(listenId);
    if (!own || !registration) return;
    own.delete(listenId);
    if (own.size === 0) this.byOwner.delete(owner);
    this.unlink(registration);
    this.count--;
  }

  removeOwner(owner: object): void {
    const own = this.byOwner.get(owner);
    if (!own) return;
    this.byOwner.delete(owner);
    for (const registration of own.values()) this.unlink(registration);
    this.count -= own.size;
  }

  /** Registrations of all owners. */
  get size(): number {
    return this.count;
  }

  /**
   * Offers the socket to the owners listening on its info-hash in turn order. The owner that takes
   * it goes to the back of the line; one that refuses keeps its place. False if nobody took it.
   */
  route(infoHash: Uint8Array, socket: PeerSocket, firstBytes: Uint8Array, mse?: InboundMse): boolean {
    const listeners = this.byInfoHash.get(keyOf(infoHash));
    if (!listeners) return false;
    for (const [owner, own] of listeners) {
      if (!offer(own, socket, firstBytes, mse)) continue;
      // A handler may have ended its session (and so removed the owner) on the way.
      if (listeners.delete(owner)) listeners.set(owner, own);
      return true;
    }
    return false;
  }

  /** The info-hash some tab listens for whose HASH('req2', info-hash) this is (MSE's SKEY). */
  infoHashForReq2(hash: Uint8Array): Uint8Array | undefined {
    return this.byReq2.get(keyOf(hash));
  }

  private unlink(registration: Registration): void {
    const listeners = this.byInfoHash.get(registration.infoHashKey)!;
    const own = listeners.get(registration.owner)!;
    own.delete(registration.listenId);
    if (own.size > 0) return;
    listeners.delete(registration.owner);
    if (listeners.size > 0) return;
    this.byInfoHash.delete(registration.infoHashKey);
    this.byReq2.delete(keyOf(req2Hash(infoHashOf(registration.infoHashKey))));
  }
}

/** Offers the socket to one owner's registrations for its info-hash, newest first. */
function offer(own: OwnRegistrations, socket: PeerSocket, firstBytes: Uint8Array, mse: InboundMse | undefined): boolean {
  const registrations = [...own.values()];
  for (let i = registrations.length - 1; i >= 0; i--) {
    if (registrations[i]!.handler(socket, firstBytes, mse)) return true;
  }
  return false;
}

function infoHashOf(key: string): Uint8Array {
  return Uint8Array.from(key, (char) => char.charCodeAt(0));
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
