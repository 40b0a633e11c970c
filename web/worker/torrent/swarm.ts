import type { PeerAddress, StreamKind } from '../transport.ts';

interface Candidate {
  address: PeerAddress;
  /** The transport to try first: uTP once TCP was accepted but dropped before the handshake. */
  kind: StreamKind;
  failures: number;
  nextAttemptAt: number;
  connected: boolean;
  bannedUntil: number;
}

const RETRY_DELAY_MS = 10_000;
const MAX_FAILURES = 5;
const MAX_CANDIDATES = 2000;

/** The addresses we know for a torrent and which to dial next. No sockets here. */
export class Swarm {
  private readonly candidates = new Map<string, Candidate>();

  get size(): number {
    return this.candidates.size;
  }

  add(addresses: PeerAddress[]): void {
    for (const address of addresses) {
      const key = keyOf(address);
      if (this.candidates.has(key) || this.candidates.size >= MAX_CANDIDATES) continue;
      if (!(address.port > 0 && address.port < 65536)) continue;
      this.candidates.set(key, { address, kind: 'tcp', failures: 0, nextAttemptAt: 0, connected: false, bannedUntil: 0 });
    }
  }

  /** Up to `count` addresses worth dialling now, marked as connecting. */
  next(count: number, now = Date.now()): PeerAddress[] {
    const picked: PeerAddress[] = [];
    for (const candidate of this.candidates.values()) {
      if (picked.length >= count) break;
      if (candidate.connected || candidate.nextAttemptAt > now || candidate.bannedUntil > now) continue;
      candidate.connected = true;
      picked.push(candidate.address);
    }
    return picked;
  }

  markConnected(address: PeerAddress): void {
    const candidate = this.candidates.get(keyOf(address));
    if (candidate) { candidate.connected = true; candidate.failures = 0; }
    else this.candidates.set(keyOf(address), { address, kind: 'tcp', failures: 0, nextAttemptAt: 0, connected: true, bannedUntil: 0 });
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

  /** Addresses that left without failing (e.g. closed as both seeding) may be dialled at once. */
  redialClosed(): void {
    for (const candidate of this.candidates.values()) if (candidate.failures === 0) candidate.nextAttemptAt = 0;
  }

  ban(address: PeerAddress, durationMs: number, now = Date.now()): void {
    const key = keyOf(address);
    const candidate = this.candidates.get(key) ?? { address, kind: 'tcp', failures: 0, nextAttemptAt: 0, connected: false, bannedUntil: 0 };
    candidate.bannedUntil = now + durationMs;
    this.candidates.set(key, candidate);
  }

  kindFor(address: PeerAddress): StreamKind {
    return this.candidates.get(keyOf(address))?.kind ?? 'tcp';
  }

  /**
   * A TCP connection was accepted and closed before any handshake: typical of a peer that only
   * speaks uTP (libtorrent in uTP-only mode does this). Try uTP next, right away.
   */
  preferUtp(address: PeerAddress): void {
    const candidate = this.candidates.get(keyOf(address));
    if (!candidate || candidate.kind === 'utp') return;
    candidate.kind = 'utp';
    candidate.connected = false;
    candidate.nextAttemptAt = 0;
  }

  addresses(): PeerAddress[] {
    return [...this.candidates.values()].filter((c) => c.bannedUntil <= Date.now()).map((c) => c.address);
  }

  isBanned(address: PeerAddress, now = Date.now()): boolean {
    return (this.candidates.get(keyOf(address))?.bannedUntil ?? 0) > now;
  }
}

export function keyOf(address: PeerAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
