// InboundRouter: LISTEN registrations by info-hash and by owner; owners on one info-hash take its
// inbound peers in turn; an owner only ever removes its own registrations.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InboundRouter } from '../../../gateway/relays/inbound-router.ts';
import type { PeerSocket } from '../../../gateway/relays/tcp-stream.ts';

const HASH = new Uint8Array(20).fill(0x11);
const OTHER_HASH = new Uint8Array(20).fill(0x22);
const socket = new PassThrough() as unknown as PeerSocket;
const firstBytes = new Uint8Array(68);

/** An owner whose handlers record which listen id took each peer. */
function owner(name: string, log: string[], accepts: () => boolean = () => true) {
  const self = {
    handler: (listenId: number) => () => {
      if (!accepts()) return false;
      log.push(`${name}${listenId}`);
      return true;
    },
  };
  return self;
}

function routeTimes(router: InboundRouter, count: number, infoHash = HASH): boolean[] {
  return Array.from({ length: count }, () => router.route(infoHash, socket, firstBytes));
}

describe('InboundRouter', () => {
  it('routes to the registration for the info-hash, and nowhere for another', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const a = owner('A', log);
    router.add(HASH, a, 1, a.handler(1));
    expect(router.route(HASH, socket, firstBytes)).toBe(true);
    expect(router.route(OTHER_HASH, socket, firstBytes)).toBe(false);
    expect(log).toEqual(['A1']);
    expect(router.size).toBe(1);
  });

  it('gives the peers of one info-hash to its owners in turn, not all to the newest', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const [a, b, c] = [owner('A', log), owner('B', log), owner('C', log)];
    router.add(HASH, a, 1, a.handler(1));
    router.add(HASH, b, 1, b.handler(1));
    router.add(HASH, c, 9, c.handler(9));
    routeTimes(router, 6);
    expect(log).toEqual(['A1', 'B1', 'C9', 'A1', 'B1', 'C9']);
  });

  it('skips an owner that refuses; it keeps its place for when it accepts again', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    let aAccepts = false;
    const [a, b, c] = [owner('A', log, () => aAccepts), owner('B', log), owner('C', log)];
    router.add(HASH, a, 1, a.handler(1));
    router.add(HASH, b, 1, b.handler(1));
    router.add(HASH, c, 1, c.handler(1));
    routeTimes(router, 3);
    aAccepts = true;
    routeTimes(router, 2);
    expect(log).toEqual(['B1', 'C1', 'B1', 'A1', 'C1']);
  });

  it('is false when every owner refuses', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const [a, b] = [owner('A', log, () => false), owner('B', log, () => false)];
    router.add(HASH, a, 1, a.handler(1));
    router.add(HASH, b, 1, b.handler(1));
    expect(routeTimes(router, 2)).toEqual([false, false]);
  });

  it("removes only the caller's own registration with that listen id", () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const [a, b] = [owner('A', log), owner('B', log)];
    router.add(HASH, a, 5, a.handler(5));
    router.remove(b, 5);
    router.removeOwner(b);
    expect(router.size).toBe(1);
    router.add(OTHER_HASH, b, 5, b.handler(5));
    router.remove(b, 5);
    routeTimes(router, 2);
    expect(log).toEqual(['A5', 'A5']);
    expect(router.size).toBe(1);
  });

  it('replaces an owner\'s registration when it LISTENs again with the same id', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const a = owner('A', log);
    router.add(HASH, a, 1, a.handler(1));
    router.add(OTHER_HASH, a, 1, a.handler(1));
    expect(router.size).toBe(1);
    expect(routeTimes(router, 1, HASH)).toEqual([false]);
    expect(routeTimes(router, 1, OTHER_HASH)).toEqual([true]);
  });

  it("offers an owner's newest registration for the info-hash first, and its older one once that goes", () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const a = owner('A', log);
    router.add(HASH, a, 1, a.handler(1));
    router.add(HASH, a, 2, a.handler(2));
    routeTimes(router, 1);
    router.remove(a, 2);
    routeTimes(router, 1);
    expect(log).toEqual(['A2', 'A1']);
  });

  it('removeOwner takes all of the owner\'s registrations and leaves the others', () => {
    const router = new InboundRouter();
    const log: string[] = [];
    const [a, b] = [owner('A', log), owner('B', log)];
    for (let id = 1; id <= 10; id++) router.add(id % 2 ? HASH : OTHER_HASH, a, id, a.handler(id));
    router.add(HASH, b, 1, b.handler(1));
    expect(router.size).toBe(11);
    router.removeOwner(a);
    expect(router.size).toBe(1);
    expect(routeTimes(router, 2, HASH)).toEqual([true, true]);
    expect(routeTimes(router, 1, OTHER_HASH)).toEqual([false]);
    expect(log).toEqual(['B1', 'B1']);
  });

  it('does not bring back an owner whose handler ended it while taking the peer', () => {
    const router = new InboundRouter();
    const a = {};
    router.add(HASH, a, 1, () => {
      router.removeOwner(a);
      return true;
    });
    expect(router.route(HASH, socket, firstBytes)).toBe(true);
    expect(router.size).toBe(0);
    expect(router.route(HASH, socket, firstBytes)).toBe(false);
  });

  it('adds and removes 100,000 registrations of many owners without scanning everybody\'s', () => {
    const router = new InboundRouter();
    const owners = Array.from({ length: 100 }, () => ({}));
    const hash = new Uint8Array(20);
    const view = new DataView(hash.buffer);
    const startMs = performance.now();
    owners.forEach((o, t) => {
      for (let id = 1; id <= 1000; id++) {
        view.setUint32(0, t);
        view.setUint32(4, id);
        router.add(hash, o, id, () => true);
      }
    });
    expect(router.size).toBe(100_000);
    for (let id = 1; id <= 1000; id++) router.remove(owners[0]!, id);
    for (const o of owners) router.removeOwner(o);
    expect(router.size).toBe(0);
    // A scan per add would be 5·10^9 steps; indexed, this is well under a second even on a busy machine.
    expect(performance.now() - startMs).toBeLessThan(5000);
  });
});
