// RateMeter: bytes per second over a sliding window of one-second buckets, on an injected clock.
import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../../web/worker/rate-meter.ts';

function clock(start: number) {
  const c = { ms: start, now: () => c.ms };
  return c;
}

describe('RateMeter', () => {
  it('reads 0 before anything is added', () => {
    const c = clock(50_000);
    expect(new RateMeter(c.now).bytesPerSecond).toBe(0);
  });

  it('knows the rate of a new source in its first second, not a fifth of it', () => {
    const c = clock(100_000);
    const meter = new RateMeter(c.now);
    for (let i = 0; i < 5; i++) { meter.add(100_000); c.ms += 100; } // 1 MB/s for half a second
    expect(meter.bytesPerSecond).toBeGreaterThan(900_000);
    expect(meter.bytesPerSecond).toBeLessThan(1_100_000);
    meter.add(100_000); // a burst right at the start does not read as more than 4× its bytes per second
    const burst = new RateMeter(c.now);
    burst.add(16_384);
    expect(burst.bytesPerSecond).toBe(16_384 * 4);
  });

  it('measures a steady rate close to its true value', () => {
    const c = clock(100_000);
    const meter = new RateMeter(c.now);
    for (let i = 0; i < 100; i++) { meter.add(100); c.ms += 100; } // 1000 B/s for 10 s
    c.ms += 50;
    expect(meter.bytesPerSecond).toBeGreaterThan(900);
    expect(meter.bytesPerSecond).toBeLessThan(1100);
    expect(meter.total).toBe(10_000);
  });

  it('follows a change of rate within the window', () => {
    const c = clock(100_000);
    const meter = new RateMeter(c.now);
    for (let i = 0; i < 100; i++) { meter.add(1000); c.ms += 100; } // 10 kB/s
    for (let i = 0; i < 105; i++) { meter.add(100); c.ms += 100; } // then 1 kB/s for 10.5 s
    expect(meter.bytesPerSecond).toBeGreaterThan(900);
    expect(meter.bytesPerSecond).toBeLessThan(1100);
  });

  it('falls to 0 after five silent seconds but keeps the total', () => {
    const c = clock(100_000);
    const meter = new RateMeter(c.now);
    meter.add(5000);
    c.ms += 2_000;
    expect(meter.bytesPerSecond).toBeGreaterThan(0);
    c.ms += 4_000;
    expect(meter.bytesPerSecond).toBe(0);
    c.ms += 3_600_000; // an hour later: the buckets are still clean
    meter.add(10);
    expect(meter.bytesPerSecond).toBeLessThan(10);
    expect(meter.total).toBe(5010);
  });
});
