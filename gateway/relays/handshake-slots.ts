// Slots for inbound connections that are still sending their handshake: capped in total and per
// source, so one source cannot take the slots every tab's peers share. A source is an IPv4
// address, or an IPv6 /64 (one host commonly holds a whole /64). A source that already has a
// handshake pending gets less time for the next one: honest peers send their 68 bytes at once.
import { isIP } from 'node:net';
import { parseV6 } from '../address-class.ts';

export interface HandshakeSlotLimits {
  /** Connections still sending their handshake, at most. */
  maxPending: number;
  /** Of those, from one source at most. */
  maxPendingPerSource: number;
  /** Time for a handshake when its source has no other pending. */
  timeoutMs: number;
  /** Time for a handshake when its source already has one pending. */
  busySourceTimeoutMs: number;
}

export const HANDSHAKE_SLOT_LIMITS: Readonly<HandshakeSlotLimits> = {
  maxPending: 256,
  maxPendingPerSource: 8,
  timeoutMs: 10_000,
  busySourceTimeoutMs: 3_000,
};

/** The source a connection's slots are counted under: `1.2.3.4` (also for `::ffff:1.2.3.4`), or `2001:db8:1:2::/64`. */
export function sourceOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = parseV6(address);
  const ipv4Mapped = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  if (ipv4Mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}

export class HandshakeSlots {
  private total = 0;
  private readonly bySource = new Map<string, number>();

  constructor(private readonly limits: Readonly<HandshakeSlotLimits> = HANDSHAKE_SLOT_LIMITS) {}

  /** Handshakes pending now. */
  get pending(): number {
    return this.total;
  }

  /** Takes a slot for `source`: the handshake's timeout in ms, or null if the source or the total is at its cap. */
  take(source: string): number | null {
    const fromSource = this.bySource.get(source) ?? 0;
    if (this.total >= this.limits.maxPending || fromSource >= this.limits.maxPendingPerSource) return null;
    this.total++;
    this.bySource.set(source, fromSource + 1);
    return fromSource === 0 ? this.limits.timeoutMs : this.limits.busySourceTimeoutMs;
  }

  release(source: string): void {
    const fromSource = this.bySource.get(source);
    if (fromSource === undefined) return;
    this.total--;
    if (fromSource > 1) this.bySource.set(source, fromSource - 1);
    else this.bySource.delete(source);
  }
}
