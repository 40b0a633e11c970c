// Uploads wait for the limit in the order asked, bounded; the download throttle pauses the stream
// that put the bucket in debt and resumes it (and asks for requests again) when it is out of debt.
import { describe, expect, it } from 'vitest';
import { ByteBucket } from '../../../../web/worker/rate-limit/token-bucket.ts';
import { RateLimiter } from '../../../../web/worker/rate-limit/rate-limiter.ts';
import { UploadQueue, type Timers } from '../../../../web/worker/rate-limit/upload-queue.ts';
import { DownloadThrottle } from '../../../../web/worker/rate-limit/download-throttle.ts';

const KiB = 1024;
const BLOCK = 16 * KiB;

/** A clock and timers that move only when told. */
function fakeTime() {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  const api: Timers = {
    setTimeout: (callback, ms) => { const id = nextId++; timers.push({ at: now + ms, callback, id }); return id; },
    clearTimeout: (id) => { timers = timers.filter((t) => t.id !== id); },
  };
  return {
    clock: () => now,
    timers: api,
    pending: () => timers.length,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.callback();
      }
      now = end;
    },
  };
}

describe('UploadQueue', () => {
  it('runs jobs at once without a limit', () => {
    const time = fakeTime();
    const queue = new UploadQueue(new RateLimiter([new ByteBucket(time.clock)]), time.timers);
    let ran = 0;
    for (let i = 0; i < 100; i++) queue.push({ run: () => { ran++; return BLOCK; } });
    expect(ran).toBe(100);
    expect(queue.size).toBe(0);
  });

  it('holds 64 KiB/s over 10 s, in order, and skips cancelled blocks without charging them', () => {
    const time = fakeTime();
    const queue = new UploadQueue(new RateLimiter([new ByteBucket(time.clock, 64 * KiB)]), time.timers);
    const order: number[] = [];
    for (let i = 0; i < 200; i++) queue.push({ run: () => { if (i % 10 === 9) return 0; order.push(i); return BLOCK; } });
    time.advance(10_000);
    const bytes = order.length * BLOCK;
    expect(bytes / 10).toBeGreaterThan(56 * KiB);
    expect(bytes / 10).toBeLessThan(72 * KiB);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('refuses jobs beyond its bound; clear drops what waits', () => {
    const time = fakeTime();
    const queue = new UploadQueue(new RateLimiter([new ByteBucket(time.clock, 1 * KiB)]), time.timers, 3);
    const results = Array.from({ length: 5 }, () => queue.push({ run: () => BLOCK }));
    expect(results).toEqual([true, true, true, true, false]); // the first ran at once
    queue.clear();
    expect(queue.size).toBe(0);
    expect(time.pending()).toBe(0);
  });
});

describe('DownloadThrottle', () => {
  function stream() {
    const s = { paused: false, closed: false, pauses: 0, pause() { s.paused = true; s.pauses++; }, resume() { s.paused = false; } };
    return s;
  }

  it('pauses the stream that put the bucket in debt and resumes it, asking for requests, when out of debt', () => {
    const time = fakeTime();
    let ready = 0;
    const throttle = new DownloadThrottle(new RateLimiter([new ByteBucket(time.clock, 64 * KiB)]), () => ready++, time.timers);
    const peer = stream();
    expect(throttle.allowsRequests()).toBe(true);
    throttle.received(BLOCK, peer);
    throttle.received(BLOCK, peer);
    expect(peer.paused).toBe(true);
    expect(throttle.allowsRequests()).toBe(false);
    time.advance(200);
    expect(peer.paused).toBe(true);
    time.advance(400);
    expect(peer.paused).toBe(false);
    expect(ready).toBe(1);
  });

  it('sizes the outstanding requests to about a second of the limit; none without a limit', () => {
    const time = fakeTime();
    const limited = new DownloadThrottle(new RateLimiter([new ByteBucket(time.clock, 256 * KiB)]), () => {}, time.timers);
    expect(limited.requestBudget(0)).toBe(16);
    expect(limited.requestBudget(10)).toBe(6);
    expect(limited.requestBudget(40)).toBe(0);
    expect(new DownloadThrottle(new RateLimiter([new ByteBucket(time.clock, 1 * KiB)]), () => {}).requestBudget(0)).toBe(1);
    expect(new DownloadThrottle(new RateLimiter([new ByteBucket(time.clock)]), () => {}).requestBudget(1000)).toBe(Infinity);
  });

  it('releases every paused stream when the torrent stops', () => {
    const time = fakeTime();
    const throttle = new DownloadThrottle(new RateLimiter([new ByteBucket(time.clock, 1 * KiB)]), () => {}, time.timers);
    const a = stream();
    const b = stream();
    throttle.received(BLOCK, a);
    throttle.received(BLOCK, b);
    expect(a.paused && b.paused).toBe(true);
    throttle.releaseAll();
    expect(a.paused || b.paused).toBe(false);
    expect(time.pending()).toBe(0);
  });
});
