// Answers to name lookups, kept for a while: addresses for their record TTL (clamped), failures
// briefly, so a tab asking again and again for a name costs one query. Bounded; the least recently
// used entry goes first.
import type { ErrorCodeValue } from '../shared/bridge/frames.ts';

export interface NameAddress {
  address: string;
  family: 4 | 6;
}

export type CachedAnswer =
  | { ok: true; addresses: NameAddress[] }
  | { ok: false; code: ErrorCodeValue; reason: string };

export interface NameCacheOptions {
  maxEntries: number;
  /** Record TTLs are clamped into [minTtlMs, maxTtlMs]: 0 s would mean a query per request. */
  minTtlMs: number;
  maxTtlMs: number;
  /** How long a failure (not found, timed out) is remembered. */
  negativeTtlMs: number;
  now: () => number;
}

interface Entry {
  answer: CachedAnswer;
  expiresAt: number;
}

export class NameCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: NameCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  get(name: string): CachedAnswer | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      this.entries.delete(name);
      return undefined;
    }
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry.answer;
  }

  putAddresses(name: string, addresses: NameAddress[], ttlSeconds: number): void {
    const { minTtlMs, maxTtlMs } = this.options;
    const ttlMs = Math.min(maxTtlMs, Math.max(minTtlMs, ttlSeconds * 1000));
    this.put(name, { ok: true, addresses }, ttlMs);
  }

  putFailure(name: string, code: ErrorCodeValue, reason: string): void {
    this.put(name, { ok: false, code, reason }, this.options.negativeTtlMs);
  }

  private put(name: string, answer: CachedAnswer, ttlMs: number): void {
    this.entries.delete(name);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(name, { answer, expiresAt: this.options.now() + ttlMs });
  }
}
