// BEP 12 — multitracker metadata: the trackers of one tier are shuffled once, tried in order, and
// the one that answers moves to the front, so the next announce asks it first.

/** One tier's trackers in the order to try them. */
export class TrackerTier<T> {
  private readonly order: T[];

  /** `random` returns [0, 1) like Math.random; tests inject their own. */
  constructor(members: readonly T[], random: () => number = Math.random) {
    this.order = shuffled(members, random);
  }

  get members(): readonly T[] {
    return this.order;
  }

  /** `member` answered: it is asked first from now on (BEP 12). */
  promote(member: T): void {
    const index = this.order.indexOf(member);
    if (index <= 0) return;
    this.order.splice(index, 1);
    this.order.unshift(member);
  }
}

/** Fisher–Yates: every order equally likely. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
