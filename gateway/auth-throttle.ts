// Failed attempts at the access token, per source address: each one is logged (up to a rate) and
// answered later and later (doubling, up to a cap), so guessing is slow while a right token is
// never slowed. Memory is bounded: a fixed number of addresses, oldest forgotten first, and a
// fixed number of answers waiting at once (beyond it the connection is just closed).
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 8_000;
/** A quiet address starts again from the first delay after this long. */
const FORGET_AFTER_MS = 10 * 60_000;
const MAX_ADDRESSES = 10_000;
const MAX_WAITING_ANSWERS = 256;
const LOG_LINES_PER_MINUTE = 60;

interface Record {
  failures: number;
  lastAtMs: number;
}

export class AuthThrottle {
  private readonly byAddress = new Map<string, Record>();
  private waiting = 0;
  private logWindowStartMs = 0;
  private loggedInWindow = 0;
  private unlogged = 0;

  constructor(
    private readonly log: (line: string) => void = (line) => console.warn(line),
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a failure; returns the delay before answering it, or null: close without an answer. */
  failed(address: string, what: string): number | null {
    const now = this.now();
    const previous = this.byAddress.get(address);
    const failures = previous && now - previous.lastAtMs < FORGET_AFTER_MS ? previous.failures + 1 : 1;
    this.byAddress.delete(address); // re-insert: the Map's order is least recently failed first
    this.byAddress.set(address, { failures, lastAtMs: now });
    if (this.byAddress.size > MAX_ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
    const delayMs = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - 1, 16));
    this.report(now, `gateway: refused ${what} from ${address} (failure ${failures} from this address; answered after ${delayMs} ms)`);
    if (this.waiting >= MAX_WAITING_ANSWERS) return null;
    return delayMs;
  }

  /** Runs `answer` after `delayMs`, counting it among the waiting answers. */
  answerLater(delayMs: number, answer: () => void): void {
    this.waiting++;
    setTimeout(() => {
      this.waiting--;
      answer();
    }, delayMs).unref();
  }

  failuresOf(address: string): number {
    return this.byAddress.get(address)?.failures ?? 0;
  }

  private report(now: number, line: string): void {
    if (now - this.logWindowStartMs >= 60_000) {
      if (this.unlogged > 0) this.log(`gateway: ${this.unlogged} more refused attempts were not logged in the last minute`);
      this.logWindowStartMs = now;
      this.loggedInWindow = 0;
      this.unlogged = 0;
    }
    if (this.loggedInWindow++ < LOG_LINES_PER_MINUTE) this.log(line);
    else this.unlogged++;
  }
}
