import { PexFlag } from '../../../shared/peer-wire/index.ts';
import type { PeerAddress, StreamKind } from '../transport.ts';
import { otherKind } from '../peer/dial.ts';

interface Candidate {
  address: PeerAddress;
  /**
   * The transport to dial: the one that last worked, or that the peer is known to want (BEP 11's
   * uTP flag, a drop of the other before the handshake); undefined while we know nothing.
   */
  kind?: StreamKind;
  /** The transport the peer dropped before the handshake, once (so the other is not dropped in a loop). */
  droppedOver?: StreamKind;
  /** A seed (BEP 11 seed flag, a full bitfield, closed as both seeding): a seed of ours does not dial it. */
  seed: boolean;
  failures: number;
  nextAttemptAt: number;
  connected: boolean;
  bannedUntil: number;
}

/** Where an address came from and what it said about itself (BEP 11 flags), if anything. */
export interface AddressHint extends PeerAddress {
  flags?: number;
}

/**
 * What a swarm learned of an address that another swarm of the same torrent can use: a magnet's
 * metadata fetch hands its peers to the torrent this way (the transport that reached each, seeds).
 */
export interface KnownPeer {
  address: PeerAddress;
  /** Candidate.kind: the transport that worked, or that the peer wants. */
  kind?: StreamKind;
  seed: boolean;
}

export interface NextOptions {
  /** We are a seed: addresses known to be seeds are not worth dialling. */
  skipSeeds?: boolean;
}

const RETRY_DELAY_MS = 10_000;
const MAX_FAILURES = 5;
const MAX_CANDIDATES = 2000;

/** The addresses we know for a torrent and which to dial next, and how. No sockets here. */
export class Swarm {
  private readonly candidates = new Map<string, Candidate>();

  get size(): number {
    return this.candidates.size;
  }

  /** New addresses (tracker, DHT, PEX); PEX flags of known ones are taken in too. */
  add(addresses: readonly AddressHint[]): void {
    for (const { host, port, flags } of addresses) {
      const key = keyOf({ host, port });
      let candidate = this.candidates.get(key);
      if (!candidate) {
        if (this.candidates.size >= MAX_CANDIDATES || !(port > 0 && port < 65536)) continue;
        candidate = fresh({ host, port });
        this.candidates.set(key, candidate);
      }
      if (flags === undefined) continue;
      if (flags & PexFlag.SEED) candidate.seed = true;
      // The sender reached it over uTP: dial it so, with no TCP wasted first.
      if (flags & PexFlag.UTP && candidate.kind === undefined) candidate.kind = 'utp';
    }
  }

  /** Up to `count` addresses worth dialling now, marked as connecting. */
  next(count: number, now = Date.now(), options: NextOptions = {}): PeerAddress[] {
    const picked: PeerAddress[] = [];
    for (const candidate of this.candidates.values()) {
      if (picked.length >= count) break;
      if (candidate.connected || candidate.nextAttemptAt > now || candidate.bannedUntil > now) continue;
      if (options.skipSeeds && candidate.seed) continue;
      candidate.connected = true;
      picked.push(candidate.address);
    }
    return picked;
  }

  /** A connection got through the handshake; `kind` (ours when we dialled) is remembered for next time. */
  markConnected(address: PeerAddress, kind?: StreamKind): void {
    const key = keyOf(address);
    const candidate = this.candidates.get(key) ?? fresh(address);
    this.candidates.set(key, candidate);
    candidate.connected = true;
    candidate.failures = 0;
    if (kind) { candidate.kind = kind; candidate.droppedOver = undefined; }
  }

  /** A connection ended or failed; `failed` backs the address off, 5 failures forget it. */
  markDisconnected(address: PeerAddress, failed: boolean, now = Date.now()): void {
    const candidate = this.candidates.get(keyOf(address));
    if (!candidate) return;
    candidate.connected = false;
    if (!failed) { candidate.nextAttemptAt = now + RETRY_DELAY_MS; return; }
    candidate.failures++;
    if (candidate.failures >= MAX_FAILURES && candidate.bannedUntil <= now) this.candidates.delete(keyOf(address));
    else candidate.nextAttemptAt = now + RETRY_DELAY_MS * 2 ** candidate.failures;
  }

  /**
   * We dialled over `kind` and the peer closed before any handshake: typical of a peer that takes
   * only the other transport (a uTP-only libtorrent accepts TCP, then drops it). The other is
   * dialled next, at once; a second such drop counts as a failure.
   */
  droppedBeforeHandshake(address: PeerAddress, kind: StreamKind, now = Date.now()): void {
    const candidate = this.candidates.get(keyOf(address));
    if (!candidate) return;
    if (candidate.droppedOver !== undefined) return this.markDisconnected(address, true, now);
    candidate.droppedOver = kind;
    candidate.kind = otherKind(kind);
    candidate.connected = false;
    candidate.nextAttemptAt = 0;
  }

  /** The peer has every piece: a seed of ours need not dial it (it stays known for when we miss pieces). */
  markSeed(address: PeerAddress): void {
    const candidate = this.candidates.get(keyOf(address));
    if (candidate) candidate.seed = true;
  }

  isSeed(address: PeerAddress): boolean {
    return this.candidates.get(keyOf(address))?.seed ?? false;
  }

  /** Addresses that left without failing (e.g. closed as both seeding) may be dialled at once. */
  redialClosed(): void {
    for (const candidate of this.candidates.values()) if (candidate.failures === 0) candidate.nextAttemptAt = 0;
  }

  ban(address: PeerAddress, durationMs: number, now = Date.now()): void {
    const key = keyOf(address);
    const candidate = this.candidates.get(key) ?? fresh(address);
    candidate.bannedUntil = now + durationMs;
    this.candidates.set(key, candidate);
  }

  /** The transport to dial the address over, if we know one (see Candidate.kind). */
  kindFor(address: PeerAddress): StreamKind | undefined {
    return this.candidates.get(keyOf(address))?.kind;
  }

  /**
   * What this swarm learned of each address it does not ban, for another swarm of the same torrent
   * (learn). Back-offs and connection state stay: they belong to this swarm's own connections.
   */
  knownPeers(now = Date.now()): KnownPeer[] {
    const known: KnownPeer[] = [];
    for (const c of this.candidates.values()) {
      if (c.bannedUntil > now) continue;
      known.push(c.kind ? { address: { ...c.address }, kind: c.kind, seed: c.seed } : { address: { ...c.address }, seed: c.seed });
    }
    return known;
  }

  /** Takes in another swarm's knownPeers: new addresses, and a transport and seed flag where we know none. */
  learn(peers: readonly KnownPeer[]): void {
    for (const { address, kind, seed } of peers) {
      this.add([address]);
      const candidate = this.candidates.get(keyOf(address));
      if (!candidate) continue; // full, or not a valid port
      if (kind && candidate.kind === undefined) candidate.kind = kind;
      if (seed) candidate.seed = true;
    }
  }

  addresses(): PeerAddress[] {
    return [...this.candidates.values()].filter((c) => c.bannedUntil <= Date.now()).map((c) => c.address);
  }

  isBanned(address: PeerAddress, now = Date.now()): boolean {
    return (this.candidates.get(keyOf(address))?.bannedUntil ?? 0) > now;
  }
}

function fresh(address: PeerAddress): Candidate {
  return { address: { host: address.host, port: address.port }, seed: false, failures: 0, nextAttemptAt: 0, connected: false, bannedUntil: 0 };
}

export function keyOf(address: PeerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
