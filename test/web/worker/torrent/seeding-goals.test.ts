// Stop-seeding goals: ratio (uploaded / size) or lifetime time spent seeding; a user's resume past
// a reached goal holds until the goals change.
import { describe, expect, it } from 'vitest';
import { SeedingClock, goalReached } from '../../../../web/worker/torrent/seeding-goals.ts';

const MiB = 1024 * 1024;
const off = { stopRatio: 0, stopMinutes: 0 };

describe('goalReached', () => {
  it('is off at 0; says which goal was reached', () => {
    expect(goalReached(off, 100 * MiB, MiB, 1e9)).toBeUndefined();
    expect(goalReached({ ...off, stopRatio: 2 }, 1.99 * MiB, MiB, 0)).toBeUndefined();
    expect(goalReached({ ...off, stopRatio: 2 }, 2 * MiB, MiB, 0)).toBe('Seeding goal reached: ratio 2.00');
    expect(goalReached({ ...off, stopMinutes: 30 }, 0, MiB, 30 * 60_000)).toBe('Seeding goal reached: seeded for 30 min');
    expect(goalReached({ ...off, stopRatio: 1 }, 0, 0, 0)).toBeUndefined(); // an empty torrent has no ratio
  });
});

describe('SeedingClock', () => {
  it('counts time only while seeding, and not a tab that slept', () => {
    let now = 0;
    const clock = new SeedingClock(() => now);
    clock.tick(true);
    now += 1000; clock.tick(true);
    now += 1000; clock.tick(false);
    now += 5000; clock.tick(false);
    now += 1000; clock.tick(true);
    now += 3_600_000; clock.tick(true); // an hour asleep counts as one tick's worth at most
    expect(clock.seedingMs).toBe(1000 + 10_000);
  });

  it('keeps its time and waiver in the record', () => {
    const clock = new SeedingClock(() => 0);
    clock.restore({ seedingSeconds: 90, seedingGoalsWaived: 'ratio 1, minutes 0' });
    expect(clock.seedingMs).toBe(90_000);
    expect(clock.record).toEqual({ seedingSeconds: 90, seedingGoalsWaived: 'ratio 1, minutes 0' });
    clock.restore({ seedingSeconds: -5 });
    expect(clock.record).toEqual({ seedingSeconds: 0 });
  });

  it('resumed by hand past a reached goal, it seeds on until the goals change', () => {
    const clock = new SeedingClock(() => 0);
    const goals = { ...off, stopRatio: 1 };
    expect(clock.check(goals, 2 * MiB, MiB)).toBe('Seeding goal reached: ratio 2.00');
    clock.resumedByUser(goals, 2 * MiB, MiB);
    expect(clock.check(goals, 5 * MiB, MiB)).toBeUndefined();
    expect(clock.check({ ...off, stopRatio: 3 }, 2.5 * MiB, MiB)).toBeUndefined(); // raised: not reached yet
    expect(clock.check({ ...off, stopRatio: 3 }, 3 * MiB, MiB)).toBe('Seeding goal reached: ratio 3.00');
    expect(clock.check(goals, 3 * MiB, MiB)).toBe('Seeding goal reached: ratio 3.00'); // the waiver went with the change
  });

  it('a resume below the goal waives nothing', () => {
    const clock = new SeedingClock(() => 0);
    clock.resumedByUser({ ...off, stopRatio: 1 }, 0, MiB);
    expect(clock.record.seedingGoalsWaived).toBeUndefined();
  });
});
