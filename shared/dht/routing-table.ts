// The Kademlia routing table of BEP 5: buckets of at most k nodes covering the id space; only the
// bucket that holds our own id splits, so the table knows many nodes near us and few far away.
// Bucket i (i < last) holds ids sharing exactly i leading bits with ours; the last bucket holds
// the rest (ids sharing at least `last` bits). Pure: the caller passes the time.
// BEP 42: a full bucket prefers nodes whose id matches their address (local addresses always do):
// such a node takes the place of one whose id does not, and is never dropped for one.

import { commonPrefixBits, compareDistance, NODE_ID_BITS, randomIdInBucket } from './node-id.ts';
import type { DhtContact } from './compact.ts';
import { equalBytes } from '../bytes.ts';
import { nodeIdMatchesAddress } from './node-id-security.ts';

export const BUCKET_SIZE = 8;
/** BEP 5: a node is good if it answered within 15 minutes; after that it is questionable. */
export const GOOD_NODE_MS = 15 * 60_000;
/** Unanswered queries in a row after which a node is bad. */
export const MAX_FAILED_QUERIES = 2;

export type NodeState = 'good' | 'questionable' | 'bad';

export interface RoutingEntry extends DhtContact {
  /** When it last answered a query of ours or sent us one (0: never). */
  lastSeenMs: number;
  /** Unanswered queries since it was last seen. */
  failedQueries: number;
  /** BEP 42: its id was made from its address (or the address is local). */
  readonly idMatchesAddress: boolean;
}

export type AddResult =
  | { readonly status: 'added' | 'updated' | 'replaced' | 'ignored' }
  /** The bucket is full of nodes that are not bad: ping these questionable ones, then retry. */
  | { readonly status: 'full'; readonly questionable: readonly RoutingEntry[] };

interface Bucket {
  entries: RoutingEntry[];
  /** Last time a node in it was added or seen (BEP 5: refresh buckets idle for 15 minutes). */
  changedMs: number;
}

export interface RoutingTableOptions {
  readonly bucketSize?: number;
  /** At most this many buckets (default 160: one per bit); bounds the table's size. */
  readonly maxBuckets?: number;
}

export class RoutingTable {
  private readonly buckets: Bucket[] = [{ entries: [], changedMs: 0 }];
  private readonly bucketSize: number;
  private readonly maxBuckets: number;

  constructor(readonly ownId: Uint8Array, options: RoutingTableOptions = {}) {
    this.bucketSize = options.bucketSize ?? BUCKET_SIZE;
    this.maxBuckets = Math.min(options.maxBuckets ?? NODE_ID_BITS, NODE_ID_BITS);
  }

  get size(): number {
    let count = 0;
    for (const bucket of this.buckets) count += bucket.entries.length;
    return count;
  }

  get bucketCount(): number {
    return this.buckets.length;
  }

  stateOf(entry: RoutingEntry, nowMs: number): NodeState {
    if (entry.failedQueries >= MAX_FAILED_QUERIES) return 'bad';
    return entry.lastSeenMs > 0 && nowMs - entry.lastSeenMs < GOOD_NODE_MS && entry.failedQueries === 0 ? 'good' : 'questionable';
  }

  get(id: Uint8Array): RoutingEntry | undefined {
    return this.bucketFor(id).entries.find((e) => sameId(e.id, id));
  }

  /**
   * A node that answered us (or queried us) at `nowMs`. Full buckets split when they cover our
   * own id; otherwise a bad node is replaced, then (for a node with a BEP 42 id) one whose id does
   * not match its address, or the caller learns which nodes to ping. A node whose id does not
   * match takes the place of bad nodes and of live mismatched ones only.
   */
  add(contact: DhtContact, nowMs: number): AddResult {
    if (sameId(contact.id, this.ownId)) return { status: 'ignored' };
    const existing = this.get(contact.id);
    if (existing) {
      // Keep the address we know: a different one for the same id may be spoofed.
      if (existing.host !== contact.host || existing.port !== contact.port) return { status: 'ignored' };
      this.seen(contact.id, nowMs);
      return { status: 'updated' };
    }
    this.removeAddress(contact.host, contact.port); // a node restarted with a new id
    for (;;) {
      const index = this.bucketIndex(contact.id);
      const bucket = this.buckets[index]!;
      const entry: RoutingEntry = {
        id: contact.id, host: contact.host, port: contact.port, lastSeenMs: nowMs, failedQueries: 0,
        idMatchesAddress: nodeIdMatchesAddress(contact.id, contact.host),
      };
      if (bucket.entries.length < this.bucketSize) {
        bucket.entries.push(entry);
        bucket.changedMs = nowMs;
        return { status: 'added' };
      }
      // A bad node gives way to anyone (BEP 5; most of the DHT predates BEP 42), a mismatched one
      // first. Live nodes give way only to no worse: anyone if its id matches, else mismatched ones.
      const displaceable = (e: RoutingEntry) => entry.idMatchesAddress || !e.idMatchesAddress;
      const bad = this.leastWanted(bucket.entries.filter((e) => this.stateOf(e, nowMs) === 'bad'));
      if (bad) return this.replace(bucket, bad, entry, nowMs);
      if (index === this.buckets.length - 1 && this.buckets.length < this.maxBuckets) {
        this.split();
        continue;
      }
      const mismatched = entry.idMatchesAddress ? this.leastWanted(bucket.entries.filter((e) => !e.idMatchesAddress)) : undefined;
      if (mismatched) return this.replace(bucket, mismatched, entry, nowMs);
      const questionable = bucket.entries.filter((e) => displaceable(e) && this.stateOf(e, nowMs) === 'questionable');
      questionable.sort((a, b) => a.lastSeenMs - b.lastSeenMs);
      return { status: 'full', questionable };
    }
  }

  /** The node answered or queried us: good again. */
  seen(id: Uint8Array, nowMs: number): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.lastSeenMs = nowMs;
    entry.failedQueries = 0;
    this.bucketFor(id).changedMs = nowMs;
  }

  /** A query to the node went unanswered. */
  failed(id: Uint8Array): void {
    const entry = this.get(id);
    if (entry) entry.failedQueries++;
  }

  remove(id: Uint8Array): boolean {
    const bucket = this.bucketFor(id);
    const index = bucket.entries.findIndex((e) => sameId(e.id, id));
    if (index < 0) return false;
    bucket.entries.splice(index, 1);
    return true;
  }

  /** Up to `count` nodes that are not bad, closest to `target` first. */
  closest(target: Uint8Array, count: number, nowMs: number): RoutingEntry[] {
    const all: RoutingEntry[] = [];
    for (const bucket of this.buckets) {
      for (const entry of bucket.entries) if (this.stateOf(entry, nowMs) !== 'bad') all.push(entry);
    }
    all.sort((a, b) => compareDistance(target, a.id, b.id));
    return all.slice(0, count);
  }

  /** Random lookup targets for buckets unchanged for `idleMs` (BEP 5 bucket refresh). */
  refreshTargets(nowMs: number, idleMs = GOOD_NODE_MS): Uint8Array[] {
    const targets: Uint8Array[] = [];
    this.buckets.forEach((bucket, index) => {
      if (nowMs - bucket.changedMs >= idleMs) targets.push(randomIdInBucket(this.ownId, index));
    });
    return targets;
  }

  /** Every node, for persisting the table (BEP 5: reuse it at the next start). */
  snapshot(): DhtContact[] {
    return this.buckets.flatMap((b) => b.entries.map(({ id, host, port }) => ({ id, host, port })));
  }

  /** Of `candidates`, the one to drop first: an id that does not match its address, then the longest unseen. */
  private leastWanted(candidates: RoutingEntry[]): RoutingEntry | undefined {
    const rank = (e: RoutingEntry) => (e.idMatchesAddress ? 1 : 0);
    return candidates.sort((a, b) => rank(a) - rank(b) || a.lastSeenMs - b.lastSeenMs)[0];
  }

  private replace(bucket: Bucket, old: RoutingEntry, entry: RoutingEntry, nowMs: number): AddResult {
    bucket.entries[bucket.entries.indexOf(old)] = entry;
    bucket.changedMs = nowMs;
    return { status: 'replaced' };
  }

  private bucketIndex(id: Uint8Array): number {
    return Math.min(commonPrefixBits(this.ownId, id), this.buckets.length - 1);
  }

  private bucketFor(id: Uint8Array): Bucket {
    return this.buckets[this.bucketIndex(id)]!;
  }

  /** The last bucket covers our own id: nodes sharing more bits with us move to a new last one. */
  private split(): void {
    const last = this.buckets[this.buckets.length - 1]!;
    const depth = this.buckets.length - 1;
    const next: Bucket = { entries: [], changedMs: last.changedMs };
    last.entries = last.entries.filter((e) => {
      if (commonPrefixBits(this.ownId, e.id) > depth) {
        next.entries.push(e);
        return false;
      }
      return true;
    });
    this.buckets.push(next);
  }

  private removeAddress(host: string, port: number): void {
    for (const bucket of this.buckets) {
      const index = bucket.entries.findIndex((e) => e.host === host && e.port === port);
      if (index >= 0) {
        bucket.entries.splice(index, 1);
        return;
      }
    }
  }
}

const sameId = equalBytes;
