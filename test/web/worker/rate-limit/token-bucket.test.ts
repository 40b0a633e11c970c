// Byte buckets on a fake clock: the rate holds on average, the burst is one refill period (not
// seconds of saved-up tokens), a block passes even a limit smaller than itself, 0 is no limit.
import { describe, expect, it } from 'vitest';
import { ByteBucket, REFILL_PERIOD_MS } from '../../../../web/worker/rate-limit/token-bucket.ts';

const KiB = 1024;
const BLOCK = 16 * KiB;

function fakeClock(start = 1_000_000) {
  const clock = { now: start, advance(ms: number) { clock.now += ms; } };
  return clock;
}

/** Sends blocks through the bucket as fast as it allows for `seconds`, polling every `stepMs`. */
function pump(bucket: ByteBucket, clock: ReturnType<typeof fakeClock>, seconds: number, stepMs = 5): number {
  let sent = 0;
  for (let t = 0; t < seconds * 1000; t += stepMs) {
    while (bucket.ready()) { bucket.take(BLOCK); sent += BLOCK; }
    clock.advance(stepMs);
  }
  return sent;
}

describe('ByteBucket', () => {
  it('is unlimited at 0 (and for nonsense rates)', () => {
    const clock = fakeClock();
    for (const rate of [0, -5, NaN, Infinity]) {
      const bucket = new ByteBucket(() => clock.now, rate);
      expect(bucket.unlimited).toBe(true);
      bucket.take(1e12);
      expect(bucket.ready()).toBe(true);
      expect(bucket.waitMs()).toBe(0);
      expect(bucket.available()).toBe(Infinity);
    }
  });

  it('holds 256 KiB/s on average over 10 s of greedy sending', () => {
    const clock = fakeClock();
    const bucket = new ByteBucket(() => clock.now, 256 * KiB);
    const sent = pump(bucket, clock, 10);
    expect(sent / 10).toBeGreaterThan(250 * KiB);
    expect(sent / 10).toBeLessThan(262 * KiB);
  });

  it('holds a limit below one block (4 KiB/s): blocks pass one at a time and the debt delays the next', () => {
    const clock = fakeClock();
    const bucket = new ByteBucket(() => clock.now, 4 * KiB);
    const sent = pump(bucket, clock, 20, 50);
    expect(sent / 20).toBeLessThanOrEqual(4 * KiB + BLOCK / 20);
    expect(sent / 20).toBeGreaterThan(3 * KiB);
    bucket.take(BLOCK);
    expect(bucket.ready()).toBe(false);
    expect(bucket.waitMs()).toBeGreaterThan(3000); // 16 KiB of debt at 4 KiB/s
  });

  it('saves up at most one refill period after idling, not the idle seconds', () => {
    const clock = fakeClock();
    const rate = 1024 * KiB;
    const bucket = new ByteBucket(() => clock.now, rate);
    clock.advance(60_000);
    expect(bucket.available()).toBe((rate * REFILL_PERIOD_MS) / 1000);
    let burst = 0;
    while (bucket.ready()) { bucket.take(BLOCK); burst += BLOCK; }
    expect(burst).toBeLessThanOrEqual((rate * REFILL_PERIOD_MS) / 1000 + BLOCK);
  });

  it('says how long until it is out of debt, and a new rate forgives the old debt', () => {
    const clock = fakeClock();
    const bucket = new ByteBucket(() => clock.now, 100 * KiB);
    bucket.take(BLOCK + 100 * KiB); // the burst is one block here, so 100 KiB of debt
    expect(bucket.waitMs()).toBeGreaterThanOrEqual(999);
    expect(bucket.waitMs()).toBeLessThanOrEqual(1001);
    clock.advance(500);
    expect(bucket.ready()).toBe(false);
    clock.advance(501);
    expect(bucket.ready()).toBe(true);
    bucket.take(1000 * KiB);
    bucket.setRate(0);
    expect(bucket.ready()).toBe(true);
    bucket.setRate(8 * KiB);
    expect(bucket.ready()).toBe(true);
  });
});
