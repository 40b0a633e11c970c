// Swarm: the addresses known for a torrent and which to dial next.
import { describe, expect, it } from 'vitest';
import { Swarm, keyOf } from '../../../../web/worker/torrent/swarm.ts';
import type { PeerAddress } from '../../../../web/worker/transport.ts';

const NOW = 1_000_000;
const addr = (n: number, port = 6881): PeerAddress => ({ host: `198.51.100.${n}`, port });

describe('Swarm', () => {
  it('dedupes addresses and skips invalid ports', () => {
    const swarm = new Swarm();
    swarm.add([addr(1), addr(1), { host: '198.51.100.1', port: 6881 }, addr(2), addr(3, 0), addr(4, 65536)]);
    expect(swarm.size).toBe(2);
    expect(swarm.addresses()).toEqual([addr(1), addr(2)]);
  });

  it('keys IPv6 hosts in brackets', () => {
    expect(keyOf({ host: '2001:db8::1', port: 80 })).toBe('[2001:db8::1]:80');
    expect(keyOf(addr(1))).toBe('198.51.100.1:6881');
  });

  it('next() hands each address out once and at most `count` at a time', () => {
    const swarm = new Swarm();
    swarm.add([addr(1), addr(2), addr(3)]);
    expect(swarm.next(2, NOW)).toEqual([addr(1), addr(2)]);
    expect(swarm.next(5, NOW)).toEqual([addr(3)]);
    expect(swarm.next(5, NOW)).toEqual([]);
  });

  it('backs a failed address off exponentially and a clean disconnect by 10 s', () => {
    const swarm = new Swarm();
    swarm.add([addr(1), addr(2)]);
    swarm.next(2, NOW);
    swarm.markDisconnected(addr(1), true, NOW); // 1 failure: 20 s
    swarm.markDisconnected(addr(2), false, NOW); // clean: 10 s
    expect(swarm.next(5, NOW + 9_999)).toEqual([]);
    expect(swarm.next(5, NOW + 10_000)).toEqual([addr(2)]);
    expect(swarm.next(5, NOW + 19_999)).toEqual([]);
    expect(swarm.next(5, NOW + 20_000)).toEqual([addr(1)]);
    swarm.markDisconnected(addr(1), true, NOW + 20_000); // 2 failures: 40 s
    expect(swarm.next(5, NOW + 59_999)).toEqual([]);
    expect(swarm.next(5, NOW + 60_000)).toEqual([addr(1)]);
  });

  it('forgets an address after five failures; a connection resets the count', () => {
    const swarm = new Swarm();
    swarm.add([addr(1), addr(2)]);
    let now = NOW;
    for (let i = 0; i < 4; i++) {
      expect(swarm.next(1, now)).toEqual([addr(1)]);
      swarm.markDisconnected(addr(1), true, now);
      now += 1_000_000;
    }
    swarm.markConnected(addr(1));
    swarm.markDisconnected(addr(1), true, now);
    expect(swarm.size).toBe(2); // the count restarted at the connection
    for (let i = 0; i < 4; i++) {
      now += 1_000_000;
      swarm.next(1, now);
      swarm.markDisconnected(addr(1), true, now);
    }
    expect(swarm.size).toBe(1);
    expect(swarm.addresses()).toEqual([addr(2)]);
  });

  it('never hands out a banned address until the ban ends', () => {
    const swarm = new Swarm();
    swarm.add([addr(1), addr(2)]);
    swarm.ban(addr(1), 60_000, NOW);
    expect(swarm.isBanned(addr(1), NOW)).toBe(true);
    expect(swarm.next(5, NOW)).toEqual([addr(2)]);
    expect(swarm.next(5, NOW + 59_999)).toEqual([]);
    expect(swarm.isBanned(addr(1), NOW + 60_000)).toBe(false);
    expect(swarm.next(5, NOW + 60_000)).toEqual([addr(1)]);
  });

  it('a ban on an unknown address is remembered, so adding it later does not unban it', () => {
    const swarm = new Swarm();
    swarm.ban(addr(9), 60_000, NOW);
    swarm.add([addr(9)]);
    expect(swarm.next(5, NOW)).toEqual([]);
    expect(swarm.isBanned(addr(9), NOW)).toBe(true);
  });

  it('an inbound peer marked connected is not dialled', () => {
    const swarm = new Swarm();
    swarm.markConnected(addr(5));
    swarm.add([addr(5)]);
    expect(swarm.size).toBe(1);
    expect(swarm.next(5, NOW)).toEqual([]);
  });

  it('under random operations next() never returns a connected or banned address', () => {
    let seed = 42;
    const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
    const swarm = new Swarm();
    const connected = new Set<string>();
    const bannedUntil = new Map<string, number>();
    let now = NOW;
    for (let step = 0; step < 5000; step++) {
      now += Math.floor(random() * 3000);
      const a = addr(1 + Math.floor(random() * 20));
      const op = random();
      if (op < 0.3) swarm.add([a]);
      else if (op < 0.45) { swarm.markConnected(a); connected.add(keyOf(a)); }
      else if (op < 0.7) { swarm.markDisconnected(a, random() < 0.5, now); connected.delete(keyOf(a)); }
      else if (op < 0.75) { swarm.ban(a, 30_000, now); bannedUntil.set(keyOf(a), now + 30_000); }
      else {
        for (const picked of swarm.next(3, now)) {
          const key = keyOf(picked);
          expect(connected.has(key)).toBe(false);
          expect((bannedUntil.get(key) ?? 0) > now).toBe(false);
          connected.add(key);
        }
      }
    }
  });
});

describe('Swarm handover (a magnet\'s metadata fetch → its torrent)', () => {
  it('knownPeers carries the transport that worked and the seeds, not bans, back-offs or connection state', () => {
    const fetch = new Swarm();
    fetch.add([addr(1), addr(2), addr(3), addr(4)]);
    fetch.next(4, NOW);
    fetch.markConnected(addr(1), 'utp');
    fetch.markSeed(addr(1));
    fetch.markConnected(addr(2), 'tcp');
    fetch.markDisconnected(addr(1), false, NOW); // closed as the metadata completed: backed off 10 s here
    fetch.ban(addr(3), 60_000, NOW);
    expect(fetch.knownPeers(NOW)).toEqual([
      { address: addr(1), kind: 'utp', seed: true },
      { address: addr(2), kind: 'tcp', seed: false },
      { address: addr(4), seed: false },
    ]);

    const torrent = new Swarm();
    torrent.learn(fetch.knownPeers(NOW));
    expect(torrent.kindFor(addr(1))).toBe('utp');
    expect(torrent.isSeed(addr(1))).toBe(true);
    expect(torrent.kindFor(addr(2))).toBe('tcp');
    expect(torrent.kindFor(addr(4))).toBeUndefined();
    // Every address is dialled at once: the fetch's back-off and connections were its own.
    expect(torrent.next(10, NOW)).toEqual([addr(1), addr(2), addr(4)]);
    expect(torrent.next(10, NOW, { skipSeeds: true })).toEqual([]);
  });

  it('learn keeps what the swarm already knows and skips what it cannot hold', () => {
    const torrent = new Swarm();
    torrent.add([addr(1)]);
    torrent.markConnected(addr(1), 'tcp');
    torrent.learn([
      { address: addr(1), kind: 'utp', seed: false },
      { address: addr(2, 0), kind: 'utp', seed: true },
    ]);
    expect(torrent.kindFor(addr(1))).toBe('tcp');
    expect(torrent.size).toBe(1);
  });
});
