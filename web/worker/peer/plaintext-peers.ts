// Peers that refused the obfuscated handshake (closed or answered garbage) but took plaintext:
// under 'prefer', later dials go straight to plaintext. Bounded: the oldest entry goes first.
import type { PeerAddress } from '../transport.ts';

const MAX_REMEMBERED_PEERS = 2048;

export class PlaintextPeers {
  private readonly addresses = new Set<string>();

  constructor(private readonly capacity = MAX_REMEMBERED_PEERS) {}

  has(address: PeerAddress): boolean {
    return this.addresses.has(keyOf(address));
  }

  remember(address: PeerAddress): void {
    const key = keyOf(address);
    this.addresses.delete(key);
    this.addresses.add(key);
    if (this.addresses.size > this.capacity) this.addresses.delete(this.addresses.values().next().value!);
  }

  get size(): number {
    return this.addresses.size;
  }
}

function keyOf(address: PeerAddress): string {
  return `${address.host}|${address.port}`;
}
