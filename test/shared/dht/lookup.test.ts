import { describe, expect, it } from 'vitest';
import { Lookup, LOOKUP_ALPHA, LOOKUP_K, type LookupContact } from '../../../shared/dht/lookup.ts';
import { compareDistance, randomNodeId } from '../../../shared/dht/node-id.ts';
import type { DhtContact } from '../../../shared/dht/compact.ts';
import { RoutingTable } from '../../../shared/dht/routing-table.ts';

/** A simulated network of nodes, each with a full Kademlia routing table of the others. */
function network(size: number): { nodes: DhtContact[]; answer: (to: LookupContact, target: Uint8Array) => DhtContact[] } {
  const nodes = Array.from({ length: size }, (_, i) => ({ id: randomNodeId(), host: '10.0.0.1', port: 1000 + i }));
  const tables = new Map(
    nodes.map((n) => {
      const table = new RoutingTable(n.id);
      for (const other of nodes) table.add(other, 0);
      return [n.port, table];
    }),
  );
  return { nodes, answer: (to, target) => tables.get(to.port)!.closest(target, 8, 0) };
}

function run(lookup: Lookup, respond: (c: LookupContact) => DhtContact[] | 'fail', idOf: (c: LookupContact) => Uint8Array): number {
  let rounds = 0;
  while (!lookup.done) {
    const batch = lookup.next();
    expect(batch.length).toBeGreaterThan(0);
    expect(batch.length).toBeLessThanOrEqual(LOOKUP_ALPHA);
    for (const c of batch) {
      const nodes = respond(c);
      if (nodes === 'fail') lookup.onFailure(c);
      else lookup.onResponse(c, idOf(c), nodes);
    }
    rounds++;
  }
  return rounds;
}

describe('iterative lookup (BEP 5, Kademlia)', () => {
  it('converges on the k closest nodes of the network, alpha queries at a time', () => {
    const { nodes, answer } = network(400);
    const byPort = new Map(nodes.map((n) => [n.port, n]));
    for (let trial = 0; trial < 5; trial++) {
      const target = randomNodeId();
      const lookup = new Lookup(target, nodes.slice(trial, trial + 1));
      run(lookup, (c) => answer(c, target), (c) => byPort.get(c.port)!.id);
      const expected = [...nodes].sort((a, b) => compareDistance(target, a.id, b.id)).slice(0, LOOKUP_K);
      expect(lookup.closestAnswered().map((c) => c.port)).toEqual(expected.map((c) => c.port));
      expect(lookup.queryCount).toBeLessThan(40);
    }
  });

  it('keeps at most alpha queries in flight', () => {
    const seeds = Array.from({ length: 10 }, (_, i) => ({ id: randomNodeId(), host: '10.0.0.2', port: i + 1 }));
    const lookup = new Lookup(randomNodeId(), seeds);
    expect(lookup.next()).toHaveLength(3);
    expect(lookup.next()).toHaveLength(0);
    expect(lookup.done).toBe(false);
  });

  it('starts from bootstrap addresses without ids and uses the ids they answer with', () => {
    const target = randomNodeId();
    const lookup = new Lookup(target, [{ host: 'router.example', port: 6881 }]);
    const [router] = lookup.next();
    expect(router).toEqual({ host: 'router.example', port: 6881 });
    const found = Array.from({ length: 4 }, (_, i) => ({ id: randomNodeId(), host: '10.0.0.3', port: i + 1 }));
    lookup.onResponse(router!, randomNodeId(), found);
    const second = lookup.next();
    expect(second).toHaveLength(3);
    for (const c of second) lookup.onResponse(c, c.id!, []);
    expect(lookup.next()).toHaveLength(1);
  });

  it('ends when nothing closer arrives, routing around failed nodes', () => {
    const target = randomNodeId();
    const seeds = Array.from({ length: 12 }, (_, i) => ({ id: randomNodeId(), host: '10.0.0.4', port: i + 1 }));
    const sorted = [...seeds].sort((a, b) => compareDistance(target, a.id, b.id));
    const failing = new Set([sorted[0]!.port, sorted[3]!.port]);
    const lookup = new Lookup(target, seeds);
    run(lookup, (c) => (failing.has(c.port) ? 'fail' : []), (c) => c.id!);
    // The two failures are replaced by the 9th and 10th closest; the 11th and 12th are never asked.
    expect(lookup.queryCount).toBe(10);
    expect(lookup.closestAnswered().map((c) => c.port)).toEqual(sorted.filter((c) => !failing.has(c.port)).slice(0, 8).map((c) => c.port));
  });

  it('is done at once with no seeds, ignores our own id and stray answers', () => {
    expect(new Lookup(randomNodeId(), []).done).toBe(true);
    const own = randomNodeId();
    const lookup = new Lookup(randomNodeId(), [{ id: own, host: '10.0.0.5', port: 1 }], { ownId: own });
    expect(lookup.done).toBe(true);
    lookup.onResponse({ host: '10.0.0.9', port: 9 }, randomNodeId(), [{ id: randomNodeId(), host: '10.0.0.9', port: 10 }]);
    expect(lookup.done).toBe(true);
  });

  it('bounds how many candidates it remembers', () => {
    const target = randomNodeId();
    const seed = { id: randomNodeId(), host: '10.0.0.6', port: 1 };
    const lookup = new Lookup(target, [seed]);
    lookup.next();
    const flood = Array.from({ length: 5000 }, (_, i) => ({ id: randomNodeId(), host: '10.0.0.7', port: i + 1 }));
    lookup.onResponse(seed, seed.id, flood);
    let queries = 0;
    while (!lookup.done) {
      for (const c of lookup.next()) {
        lookup.onResponse(c, c.id!, []);
        queries++;
      }
    }
    // The closest 8 of the flood are what the lookup asked.
    const closest = [...flood].sort((a, b) => compareDistance(target, a.id, b.id)).slice(0, 8);
    expect(lookup.closestAnswered().map((c) => c.port)).toEqual(closest.map((c) => c.port));
    expect(queries).toBe(8);
  });
});
