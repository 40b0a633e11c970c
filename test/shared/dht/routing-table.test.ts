import { describe, expect, it } from 'vitest';
import { BUCKET_SIZE, GOOD_NODE_MS, MAX_FAILED_QUERIES, RoutingTable } from '../../../shared/dht/routing-table.ts';
import { commonPrefixBits, compareDistance, randomIdInBucket, randomNodeId } from '../../../shared/dht/node-id.ts';
import { id } from './ids.ts';

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
