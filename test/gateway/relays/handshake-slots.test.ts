// HandshakeSlots: pending inbound handshakes capped in total and per source; a source with one
// pending gets the shorter timeout for the next.
import { describe, expect, it } from 'vitest';
import { HandshakeSlots, sourceOf } from '../../../gateway/relays/handshake-slots.ts';

const LIMITS = { maxPending: 5, maxPendingPerSource: 2, timeoutMs: 10_000, busySourceTimeoutMs: 3_000 };

describe('sourceOf', () => {
  it('counts an IPv4-mapped address as its IPv4 address', () => {
    expect(sourceOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(sourceOf('::ffff:c000:207')).toBe('192.0.2.7');
    expect(sourceOf('192.0.2.7')).toBe('192.0.2.7');
  });

  it('counts IPv6 addresses by their /64', () => {
    expect(sourceOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(sourceOf('2001:db8:1:3::1')).not.toBe(sourceOf('2001:db8:1:2::1'));
    expect(sourceOf('::1')).toBe('0:0:0:0::/64');
  });
});

describe('HandshakeSlots', () => {
  it('gives the first handshake of a source the full timeout, the next ones the short one', () => {
    const slots = new HandshakeSlots(LIMITS);
    expect(slots.take('a')).toBe(10_000);
    expect(slots.take('a')).toBe(3_000);
    expect(slots.take('b')).toBe(10_000);
  });

  it('refuses a source at its cap, not the others', () => {
    const slots = new HandshakeSlots(LIMITS);
    slots.take('a');
    slots.take('a');
    expect(slots.take('a')).toBeNull();
    expect(slots.take('b')).not.toBeNull();
    slots.release('a');
    expect(slots.take('a')).toBe(3_000);
    expect(slots.pending).toBe(3);
  });

  it('refuses everybody at the total cap, until a slot is released', () => {
    const slots = new HandshakeSlots(LIMITS);
    for (const source of ['a', 'b', 'c', 'd', 'e']) expect(slots.take(source)).not.toBeNull();
    expect(slots.take('f')).toBeNull();
    slots.release('c');
    expect(slots.take('f')).toBe(10_000);
  });

  it('ignores a release for a source with nothing pending', () => {
    const slots = new HandshakeSlots(LIMITS);
    slots.take('a');
    slots.release('b');
    expect(slots.pending).toBe(1);
    slots.release('a');
    slots.release('a');
    expect(slots.pending).toBe(0);
  });
});
