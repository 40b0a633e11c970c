// A limiter chains a torrent's bucket and the global one: a byte passes both, the tighter rules,
// and two torrents share the global one.
import { describe, expect, it } from 'vitest';
import { ByteBucket } from '../../../../web/worker/rate-limit/token-bucket.ts';
import { RateLimiter } from '../../../../web/worker/rate-limit/rate-limiter.ts';

const KiB = 1024;
const BLOCK = 16 * KiB;

describe('RateLimiter', () => {
  it('passes what both buckets allow: the tighter limit rules', () => {
    let now = 0;
    const clock = () => now;
    const global = new ByteBucket(clock, 512 * KiB);
    const own = new ByteBucket(clock, 128 * KiB);
    const limiter = new RateLimiter([own, global]);
    expect(limiter.bytesPerSecond).toBe(128 * KiB);
    let sent = 0;
    for (; now < 10_000; now += 5) while (limiter.ready()) { limiter.take(BLOCK); sent += BLOCK; }
    expect(sent / 10).toBeGreaterThan(120 * KiB);
    expect(sent / 10).toBeLessThan(136 * KiB);
  });

  it('shares the global bucket between torrents: together they stay under it', () => {
    let now = 0;
    const clock = () => now;
    const global = new ByteBucket(clock, 256 * KiB);
    const a = new RateLimiter([new ByteBucket(clock), global]);
    const b = new RateLimiter([new ByteBucket(clock, 1024 * KiB), global]);
    const sent = { a: 0, b: 0 };
    for (let step = 0; now < 10_000; now += 5, step++) {
      // Each torrent wakes on its own timer: who goes first varies.
      const order = step % 2 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      for (const name of order) {
        const limiter = name === 'a' ? a : b;
        while (limiter.ready()) { limiter.take(BLOCK); sent[name] += BLOCK; }
      }
    }
    expect((sent.a + sent.b) / 10).toBeLessThan(264 * KiB);
    expect((sent.a + sent.b) / 10).toBeGreaterThan(248 * KiB);
    expect(sent.a).toBeGreaterThan(0);
    expect(sent.b).toBeGreaterThan(0);
  });

  it('is unlimited when every bucket is; waits until every bucket is out of debt', () => {
    let now = 0;
    const clock = () => now;
    expect(new RateLimiter([new ByteBucket(clock), new ByteBucket(clock)]).unlimited).toBe(true);
    const slow = new ByteBucket(clock, 16 * KiB);
    const limiter = new RateLimiter([new ByteBucket(clock, 1024 * KiB), slow]);
    limiter.take(BLOCK * 2);
    expect(limiter.ready()).toBe(false);
    expect(limiter.waitMs()).toBeGreaterThan(900);
    now += limiter.waitMs();
    expect(limiter.ready()).toBe(true);
  });
});
