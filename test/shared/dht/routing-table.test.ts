import { describe, expect, it } from 'vitest';
import { BUCKET_SIZE, GOOD_NODE_MS, MAX_FAILED_QUERIES, RoutingTable } from '../../../shared/dht/routing-table.ts';
import { commonPrefixBits, compareDistance, randomIdInBucket, randomNodeId } from '../../../shared/dht/node-id.ts';
import { id } from './ids.ts';
import { nodeIdForAddress } from '../../../shared/dht/node-id-security.ts';

let nextPort = 1000;
const contact = (nodeId: Uint8Array) => ({ id: nodeId, host: '10.0.0.1', port: nextPort++ });
const T0 = 1_000_000;

describe('routing table (BEP 5)', () => {
  it('holds k nodes in one bucket, then splits the bucket that covers our own id', () => {
    const table = new RoutingTable(id(0x00));
    // 8 far nodes (first bit differs) and 8 nodes sharing the first bit.
    for (let i = 0; i < BUCKET_SIZE; i++) expect(table.add(contact(id(0x80 + i)), T0).status).toBe('added');
    expect(table.bucketCount).toBe(1);
    expect(table.add(contact(id(0x01)), T0).status).toBe('added'); // splits: far half stays, near half new
    expect(table.bucketCount).toBe(2);
    expect(table.size).toBe(BUCKET_SIZE + 1);
    // The far bucket is full of good nodes and does not cover our id: no room.
    const full = table.add(contact(id(0x90)), T0);
    expect(full.status).toBe('full');
    // Near our id the table keeps splitting, down to single bits.
    for (let bit = 0; bit < 40; bit++) {
      const near = id();
      near[19 - Math.floor(bit / 8)] = 1 << (bit % 8);
      table.add(contact(near), T0);
    }
    expect(table.bucketCount).toBeGreaterThan(30);
  });

  it('never adds our own id, and keeps the known address of an id', () => {
    const own = randomNodeId();
    const table = new RoutingTable(own);
    expect(table.add(contact(own), T0).status).toBe('ignored');
    const other = randomNodeId();
    const first = contact(other);
    expect(table.add(first, T0).status).toBe('added');
    expect(table.add(first, T0 + 5).status).toBe('updated');
    expect(table.add({ ...first, port: 1 }, T0).status).toBe('ignored');
    expect(table.get(other)).toMatchObject({ port: first.port, lastSeenMs: T0 + 5 });
  });

  it('replaces a node that restarted with a new id at the same address', () => {
    const table = new RoutingTable(id(0));
    table.add({ id: id(0x80), host: '10.0.0.9', port: 9 }, T0);
    table.add({ id: id(0x81), host: '10.0.0.9', port: 9 }, T0);
    expect(table.size).toBe(1);
    expect(table.get(id(0x81))).toBeDefined();
  });

  it('returns the closest nodes in XOR order, leaving bad nodes out', () => {
    const own = randomNodeId();
    const table = new RoutingTable(own);
    const ids = Array.from({ length: 200 }, () => randomNodeId());
    for (const nodeId of ids) table.add(contact(nodeId), T0);
    const target = randomNodeId();
    const closest = table.closest(target, 8, T0);
    expect(closest).toHaveLength(8);
    for (let i = 1; i < closest.length; i++) expect(compareDistance(target, closest[i - 1]!.id, closest[i]!.id)).toBeLessThan(0);
    // Nothing in the table is closer than the 8th returned.
    const all = table.snapshot();
    const closer = all.filter((c) => compareDistance(target, c.id, closest[7]!.id) < 0);
    expect(closer).toHaveLength(7);
    for (let i = 0; i < MAX_FAILED_QUERIES; i++) table.failed(closest[0]!.id);
    expect(table.closest(target, 8, T0)[0]!.id).toEqual(closest[1]!.id);
  });

  it('tells good, questionable and bad apart by last-seen time and failed queries', () => {
    const table = new RoutingTable(id(0));
    table.add(contact(id(0x80)), T0);
    const entry = table.get(id(0x80))!;
    expect(table.stateOf(entry, T0 + GOOD_NODE_MS - 1)).toBe('good');
    expect(table.stateOf(entry, T0 + GOOD_NODE_MS)).toBe('questionable');
    table.failed(entry.id);
    expect(table.stateOf(entry, T0)).toBe('questionable');
    table.failed(entry.id);
    expect(table.stateOf(entry, T0)).toBe('bad');
    table.seen(entry.id, T0 + 1);
    expect(table.stateOf(entry, T0 + 1)).toBe('good');
  });

  it('evicts a bad node from a full bucket; reports questionable ones to ping otherwise', () => {
    const table = new RoutingTable(id(0x00));
    for (let i = 0; i < BUCKET_SIZE; i++) table.add(contact(id(0x80 + i)), T0);
    table.add(contact(id(0x01)), T0); // split: 0x80.. are now a far, unsplittable bucket
    const later = T0 + GOOD_NODE_MS;
    const full = table.add(contact(id(0xa0)), later);
    expect(full.status).toBe('full');
    if (full.status !== 'full') return;
    expect(full.questionable).toHaveLength(BUCKET_SIZE);
    for (let i = 0; i < MAX_FAILED_QUERIES; i++) table.failed(full.questionable[0]!.id);
    expect(table.add(contact(id(0xa0)), later).status).toBe('replaced');
    expect(table.get(full.questionable[0]!.id)).toBeUndefined();
    expect(table.get(id(0xa0))).toBeDefined();
  });

  it('stays bounded: at most maxBuckets × k nodes however many arrive', () => {
    const own = randomNodeId();
    const table = new RoutingTable(own, { maxBuckets: 4 });
    for (let i = 0; i < 2000; i++) table.add(contact(randomIdInBucket(own, i % 12)), T0);
    expect(table.bucketCount).toBe(4);
    expect(table.size).toBeLessThanOrEqual(4 * BUCKET_SIZE);
  });

  it('offers refresh targets for idle buckets, inside each bucket range', () => {
    const own = id(0);
    const table = new RoutingTable(own);
    for (let i = 0; i < BUCKET_SIZE; i++) table.add(contact(id(0x80 + i)), T0);
    table.add(contact(id(0x01)), T0);
    expect(table.refreshTargets(T0 + 1)).toEqual([]);
    const targets = table.refreshTargets(T0 + GOOD_NODE_MS);
    expect(targets.map((t) => commonPrefixBits(own, t))).toEqual([0, 1]);
  });
});

// BEP 42 in a full bucket that cannot split. A slot is two letters: `v` an id made from its address
// or `x` one that is not, then `g` good, `q` questionable, `b` bad. The result: `replaced N` (the
// newcomer took slot N) or `full` with the slots the caller should ping.
const SLOT_HOST = (slot: number) => `198.51.100.${slot + 1}`;
const NEWCOMER_HOST = '198.51.100.200';

function idFor(host: string, matches: boolean): Uint8Array {
  const nodeId = nodeIdForAddress(host)!;
  if (!matches) nodeId[0]! ^= 0xff;
  return nodeId;
}

function addToFullBucket(bucket: string, newcomer: 'v' | 'x'): string {
  const table = new RoutingTable(id(0), { maxBuckets: 1 });
  const now = T0 + GOOD_NODE_MS;
  const slots = bucket.split(' ').map((slot, index) => {
    const node = { id: idFor(SLOT_HOST(index), slot[0] === 'v'), host: SLOT_HOST(index), port: 6881 };
    table.add(node, slot[1] === 'q' ? T0 : now);
    if (slot[1] === 'b') for (let i = 0; i < MAX_FAILED_QUERIES; i++) table.failed(node.id);
    return node;
  });
  const result = table.add({ id: idFor(NEWCOMER_HOST, newcomer === 'v'), host: NEWCOMER_HOST, port: 6881 }, now);
  if (result.status === 'full') return `full ${result.questionable.map((q) => slots.findIndex((s) => s.host === q.host)).join(',')}`.trim();
  const gone = slots.findIndex((s) => !table.get(s.id));
  return `${result.status} ${gone}`;
}

describe('routing table prefers BEP 42 ids', () => {
  it.each([
    // bucket (slots 0..7)           newcomer  result
    ['vg vg vg vg vg vg vg xg', 'v', 'replaced 7'], // a matching id takes a mismatched one's place, however good
    ['vg vg vg vg vg vg vg xg', 'x', 'full'], // a mismatched one never displaces a matching one
    ['vg vg vg vg vg vg vb vg', 'x', 'replaced 6'], // a bad node gives way to anyone (BEP 5)
    ['vg vg vg vg vg vg vb xb', 'x', 'replaced 7'], // only a bad mismatched one
    ['vg vg vg vg vg vg vb xb', 'v', 'replaced 7'], // of the bad, the mismatched goes first
    ['vg vg vb vg vg vg vg xg', 'v', 'replaced 2'], // a bad node before a live mismatched one
    ['vq xq vg vg vg vg vg vg', 'v', 'replaced 1'], // mismatched replaced before anyone is pinged
    ['vq vg vg vg vg vg vg vg', 'v', 'full 0'], // BEP 5: ping the questionable
    ['vq vg vg vg vg vg vg xq', 'x', 'full 7'], // ... only those it may displace
    ['vg vg vg vg vg vg vg vg', 'x', 'full'],
  ] as const)('%s + %s → %s', (bucket, newcomer, expected) => {
    expect(addToFullBucket(bucket, newcomer)).toBe(expected);
  });

  it('counts local addresses as matching, whatever their id (BEP 42 exempts them)', () => {
    const table = new RoutingTable(id(0), { maxBuckets: 1 });
    for (let slot = 0; slot < BUCKET_SIZE - 1; slot++) table.add({ id: idFor(SLOT_HOST(slot), false), host: SLOT_HOST(slot), port: 1 }, T0);
    table.add({ id: randomNodeId(), host: '127.0.0.5', port: 1 }, T0);
    const local = { id: randomNodeId(), host: '192.168.1.9', port: 1 };
    expect(table.add(local, T0).status).toBe('replaced'); // took a mismatched public node's place
    expect(table.get(local.id)?.idMatchesAddress).toBe(true);
    for (const host of ['10.1.2.3', 'fd00::7', '::1']) expect(table.add({ id: randomNodeId(), host, port: 2 }, T0).status).toBe('replaced');
    // Now 5 local nodes and 3 mismatched public ones (all good): a mismatched newcomer displaces none.
    const snapshotBefore = table.snapshot().map((n) => n.host).sort();
    expect(table.add({ id: idFor(NEWCOMER_HOST, false), host: NEWCOMER_HOST, port: 1 }, T0).status).toBe('full');
    expect(table.snapshot().map((n) => n.host).sort()).toEqual(snapshotBefore);
  });
});
