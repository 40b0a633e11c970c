// A fake name lookup function for the gateway tests (no DNS): the test answers each lookup by hand.
import type { DnsAnswer } from '../../../gateway/dns-lookup.ts';

export interface PendingLookup {
  name: string;
  signal: AbortSignal;
  answer(address: string, ttlSeconds?: number): void;
  fail(code: string): void;
}

/** A lookup function that records each call and answers only when the test says so. */
export class FakeDns {
  readonly calls: PendingLookup[] = [];

  readonly lookup = (name: string, signal: AbortSignal): Promise<DnsAnswer> =>
    new Promise((resolve, reject) => {
      this.calls.push({
        name,
        signal,
        answer: (address, ttlSeconds = 60) => resolve({ addresses: [{ address, family: 4 }], ttlSeconds }),
        fail: (code) => reject(Object.assign(new Error(code), { code })),
      });
    });

  started(): string[] {
    return this.calls.map((c) => c.name);
  }

  call(name: string): PendingLookup {
    const found = this.calls.find((c) => c.name === name);
    if (!found) throw new Error(`no lookup of ${name} started`);
    return found;
  }
}
