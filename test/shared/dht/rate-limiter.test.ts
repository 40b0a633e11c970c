import { describe, expect, it } from 'vitest';
import { QueryRateLimiter } from '../../../shared/dht/rate-limiter.ts';

describe('incoming query rate limiter', () => {
  it('allows a burst per source, then the steady rate', () => {
    const limiter = new QueryRateLimiter({ perSourcePerSecond: 10, perSourceBurst: 5, totalPerSecond: 1000 });
    const allowed = Array.from({ length: 8 }, () => limiter.allow('a', 0)).filter(Boolean).length;
    expect(allowed).toBe(5);
    expect(limiter.allow('b', 0)).toBe(true); // another source has its own bucket
    expect(limiter.allow('a', 100)).toBe(true); // 100 ms at 10/s: one more
    expect(limiter.allow('a', 100)).toBe(false);
  });

  it('caps all sources together', () => {
    const limiter = new QueryRateLimiter({ perSourcePerSecond: 100, perSourceBurst: 100, totalPerSecond: 3 });
    const allowed = ['a', 'b', 'c', 'd', 'e'].filter((s) => limiter.allow(s, 0));
    expect(allowed).toEqual(['a', 'b', 'c']);
    expect(limiter.allow('e', 1000)).toBe(true);
  });

  it('bounds the sources it remembers', () => {
    const limiter = new QueryRateLimiter({ maxSources: 10 });
    for (let i = 0; i < 1000; i++) limiter.allow(`10.0.${i >> 8}.${i & 255}`, i * 10);
    expect((limiter as unknown as { sources: Map<string, unknown> }).sources.size).toBeLessThanOrEqual(10);
  });
});
