// Stop-seeding goals: a torrent stops seeding when its lifetime ratio (uploaded / size) reaches
// the ratio goal or its lifetime time spent seeding reaches the time goal. Resumed by hand after a
// goal stopped it, it seeds on until the goals change (raised, or set anew): a user who resumes a
// finished torrent means "seed", and stopping it again at once would undo that click. (qBittorrent
// stops it again at once; Transmission, like this, lets it seed until the limit is changed.)
import type { LimitSettings } from '../rate-limit/limit-settings.ts';

export type SeedingGoals = Pick<LimitSettings, 'stopRatio' | 'stopMinutes'>;

/** A tick longer than this is time the tab slept (a laptop's lid, a throttled background tab), not seeding. */
const MAX_TICK_MS = 10_000;

export interface SeedingRecord {
  seedingSeconds?: number;
  /** The goals a user resumed past (goalsKey); they stop it no more. */
  seedingGoalsWaived?: string;
}

export function goalsKey(goals: SeedingGoals): string {
  return `ratio ${goals.stopRatio}, minutes ${goals.stopMinutes}`;
}

/** The reason the torrent stops, once a goal is reached. */
export function goalReached(goals: SeedingGoals, uploadedBytes: number, sizeBytes: number, seedingMs: number): string | undefined {
  const ratio = sizeBytes > 0 ? uploadedBytes / sizeBytes : 0;
  if (goals.stopRatio > 0 && ratio >= goals.stopRatio) return `Seeding goal reached: ratio ${ratio.toFixed(2)}`;
  if (goals.stopMinutes > 0 && seedingMs >= goals.stopMinutes * 60_000) return `Seeding goal reached: seeded for ${Math.floor(seedingMs / 60_000)} min`;
  return undefined;
}

/** A torrent's lifetime seeding time and its goals' state. */
export class SeedingClock {
  seedingMs = 0;
  private waived?: string;
  private lastTickAt?: number;

  constructor(private readonly now: () => number = () => Date.now()) {}

  restore(record: SeedingRecord): void {
    this.seedingMs = Math.max(0, (record.seedingSeconds ?? 0) * 1000) || 0;
    this.waived = record.seedingGoalsWaived;
  }

  get record(): SeedingRecord {
    return { seedingSeconds: Math.floor(this.seedingMs / 1000), ...(this.waived === undefined ? {} : { seedingGoalsWaived: this.waived }) };
  }

  /** Called on each of the torrent's ticks: time counts while it seeds. */
  tick(seeding: boolean): void {
    const now = this.now();
    if (seeding && this.lastTickAt !== undefined) this.seedingMs += Math.min(MAX_TICK_MS, Math.max(0, now - this.lastTickAt));
    this.lastTickAt = seeding ? now : undefined;
  }

  /** The stop reason if a goal (not waived) is reached. */
  check(goals: SeedingGoals, uploadedBytes: number, sizeBytes: number): string | undefined {
    const key = goalsKey(goals);
    if (this.waived === key) return undefined;
    this.waived = undefined; // the goals changed since the user resumed past them
    return goalReached(goals, uploadedBytes, sizeBytes, this.seedingMs);
  }

  /** Resumed by hand: goals reached now no longer stop it, until they change. */
  resumedByUser(goals: SeedingGoals, uploadedBytes: number, sizeBytes: number): void {
    this.lastTickAt = undefined;
    if (goalReached(goals, uploadedBytes, sizeBytes, this.seedingMs)) this.waived = goalsKey(goals);
  }
}
