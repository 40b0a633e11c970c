// The name resolver's queue, fairness, cache and timeouts, with a fake lookup function whose
// answers the test gives by hand (no DNS here; see abuse/hanging-dns.test.ts for c-ares).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/bridge/frames.ts';
import { NameResolver, ResolveError, type NameResolverOptions } from '../../gateway/name-resolver.ts';
import { OptionsError, parseOptions } from '../../gateway/options.ts';
import { Policy, PolicyError } from '../../gateway/policy.ts';
import { FakeDns } from './helpers/fake-dns.ts';

const flush = () => vi.advanceTimersByTimeAsync(0);

/** Settles a request into a value the test can inspect without unhandled rejections. */
function track(promise: Promise<{ address: string }[]>): { result?: string } {
  const box: { result?: string } = {};
  promise.then(
    (addresses) => (box.result = addresses.map((a) => a.address).join(',')),
    (err: ResolveError) => (box.result = `error ${err.code}: ${err.message}`),
  );
  return box;
}

describe('name resolver', () => {
  let dns: FakeDns;
  const make = (options: Partial<NameResolverOptions> = {}) => new NameResolver({ lookup: dns.lookup, ...options });

  beforeEach(() => {
    vi.useFakeTimers();
    dns = new FakeDns();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers localhost and names under it with the loopback, without a query (RFC 6761)', async () => {
    const resolver = make();
    for (const name of ['localhost', 'LOCALHOST.', 'tracker.localhost']) {
      expect(await resolver.resolve(name, {})).toEqual([
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ]);
    }
    expect(dns.calls).toHaveLength(0);
  });

  it('runs a bounded number of lookups per tab and for the gateway; the rest wait', async () => {
    const resolver = make({ maxActive: 6, maxActivePerRequester: 4 });
    const a = {};
    const b = {};
    for (let i = 0; i < 10; i++) void resolver.resolve(`a${i}.test`, a).catch(() => {});
    for (let i = 0; i < 10; i++) void resolver.resolve(`b${i}.test`, b).catch(() => {});
    await flush();
    expect(dns.started()).toEqual(['a0.test', 'a1.test', 'a2.test', 'a3.test', 'b0.test', 'b1.test']);
    expect(resolver.stats()).toMatchObject({ running: 6, queued: 14 });
  });

  it('serves waiting tabs round-robin when a slot frees', async () => {
    const resolver = make({ maxActive: 2, maxActivePerRequester: 2 });
    const [a, b, c] = [{}, {}, {}];
    for (let i = 0; i < 4; i++) void resolver.resolve(`a${i}.test`, a).catch(() => {});
    for (let i = 0; i < 2; i++) void resolver.resolve(`b${i}.test`, b).catch(() => {});
    void resolver.resolve('c0.test', c);
    await flush();
    expect(dns.started()).toEqual(['a0.test', 'a1.test']);
    for (const name of ['a0.test', 'a1.test', 'b0.test', 'c0.test', 'a2.test']) {
      dns.call(name).answer('192.0.2.1');
      await flush();
    }
    // Each freed slot went to the next tab in turn: A's backlog never kept B or C waiting twice.
    expect(dns.started()).toEqual(['a0.test', 'a1.test', 'b0.test', 'c0.test', 'a2.test', 'b1.test', 'a3.test']);
  });

  it('refuses at once with LIMIT when a tab has too many requests waiting; other tabs are unaffected', async () => {
    const resolver = make({ maxActivePerRequester: 1, maxPendingPerRequester: 3 });
    const a = {};
    const held = [0, 1, 2].map((i) => track(resolver.resolve(`a${i}.test`, a)));
    const over = track(resolver.resolve('a3.test', a));
    await flush();
    expect(over.result).toMatch(new RegExp(`^error ${ErrorCode.LIMIT}: too many name lookups waiting for this tab \\(limit 3\\)`));
    expect(held.map((h) => h.result)).toEqual([undefined, undefined, undefined]);
    const other = track(resolver.resolve('b.test', {}));
    await flush();
    dns.call('b.test').answer('192.0.2.7');
    await flush();
    expect(other.result).toBe('192.0.2.7');
  });

  it('caches answers for their TTL clamped to the allowed range', async () => {
    const cache = { maxEntries: 100, minTtlMs: 30_000, maxTtlMs: 300_000, negativeTtlMs: 15_000 };
    const resolver = make({ cache });
    const tab = {};
    const first = track(resolver.resolve('short.test', tab));
    const long = track(resolver.resolve('long.test', tab));
    await flush();
    dns.call('short.test').answer('192.0.2.1', 1); // 1 s: kept for the 30 s minimum
    dns.call('long.test').answer('192.0.2.2', 86_400); // a day: kept for the 5 min maximum
    await flush();
    expect([first.result, long.result]).toEqual(['192.0.2.1', '192.0.2.2']);

    await vi.advanceTimersByTimeAsync(29_000);
    expect(track(resolver.resolve('SHORT.test.', tab))).toBeDefined();
    await flush();
    expect(dns.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    void resolver.resolve('short.test', tab).catch(() => {});
    await flush();
    expect(dns.started()).toEqual(['short.test', 'long.test', 'short.test']);

    await vi.advanceTimersByTimeAsync(268_000); // 299 s after the answer
    void resolver.resolve('long.test', tab).catch(() => {});
    await flush();
    expect(dns.calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2000);
    void resolver.resolve('long.test', tab).catch(() => {});
    await flush();
    expect(dns.calls).toHaveLength(4);
  });

  it('remembers a failure briefly', async () => {
    const resolver = make({ cache: { maxEntries: 100, minTtlMs: 30_000, maxTtlMs: 300_000, negativeTtlMs: 15_000 } });
    const first = track(resolver.resolve('nowhere.test', {}));
    await flush();
    dns.call('nowhere.test').fail('ENOTFOUND');
    await flush();
    expect(first.result).toBe(`error ${ErrorCode.CONNECT_FAILED}: ENOTFOUND`);
    const again = track(resolver.resolve('nowhere.test', {}));
    await flush();
    expect(again.result).toBe(`error ${ErrorCode.CONNECT_FAILED}: ENOTFOUND`);
    expect(dns.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15_001);
    void resolver.resolve('nowhere.test', {}).catch(() => {});
    await flush();
    expect(dns.calls).toHaveLength(2);
  });

  it('keeps the cache bounded, dropping the least recently used name', async () => {
    const resolver = make({ cache: { maxEntries: 2, minTtlMs: 30_000, maxTtlMs: 300_000, negativeTtlMs: 15_000 } });
    for (const name of ['one.test', 'two.test']) {
      void resolver.resolve(name, {});
      await flush();
      dns.call(name).answer('192.0.2.1');
      await flush();
    }
    await resolver.resolve('one.test', {}); // one is now the most recently used
    void resolver.resolve('three.test', {});
    await flush();
    dns.call('three.test').answer('192.0.2.3');
    await flush();
    expect(resolver.stats().cached).toBe(2);
    void resolver.resolve('one.test', {});
    void resolver.resolve('two.test', {}).catch(() => {});
    await flush();
    expect(dns.started()).toEqual(['one.test', 'two.test', 'three.test', 'two.test']);
  });

  it('answers a lookup that hangs with TIMEOUT, cancels it, frees its slot and ignores its late answer', async () => {
    const resolver = make({ maxActive: 1, lookupTimeoutMs: 5000, requestTimeoutMs: 10_000 });
    const hang = track(resolver.resolve('hang.test', {}));
    const next = track(resolver.resolve('next.test', {}));
    await flush();
    expect(dns.started()).toEqual(['hang.test']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(hang.result).toBe(`error ${ErrorCode.TIMEOUT}: timed out after 5 s`);
    expect(dns.call('hang.test').signal.aborted).toBe(true);
    expect(dns.started()).toEqual(['hang.test', 'next.test']);
    dns.call('hang.test').answer('192.0.2.66'); // too late: must change nothing
    dns.call('next.test').answer('192.0.2.2');
    await flush();
    expect(next.result).toBe('192.0.2.2');
    expect(resolver.stats()).toEqual({ running: 0, queued: 0, cached: 2, tabs: 0 });
    const again = track(resolver.resolve('hang.test', {}));
    await flush();
    expect(again.result).toBe(`error ${ErrorCode.TIMEOUT}: timed out after 5 s`);
  });

  it('times out a request that waited too long in the queue, and cancels a lookup nobody waits for', async () => {
    const resolver = make({ maxActive: 1, lookupTimeoutMs: 60_000, requestTimeoutMs: 10_000 });
    const [x, y, z] = [{}, {}, {}];
    const first = track(resolver.resolve('slow.test', x));
    await vi.advanceTimersByTimeAsync(1000);
    const queued = track(resolver.resolve('queued.test', z));
    await vi.advanceTimersByTimeAsync(4000);
    const joined = track(resolver.resolve('slow.test', y));
    await vi.advanceTimersByTimeAsync(5000); // t = 10 s: x gives up, y still waits for the lookup
    expect(first.result).toBe(`error ${ErrorCode.TIMEOUT}: timed out after 10 s`);
    expect(dns.call('slow.test').signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1000); // t = 11 s: z never left the queue
    expect(queued.result).toBe(`error ${ErrorCode.TIMEOUT}: timed out after 10 s`);
    await vi.advanceTimersByTimeAsync(4000); // t = 15 s: nobody waits any more
    expect(joined.result).toBe(`error ${ErrorCode.TIMEOUT}: timed out after 10 s`);
    expect(dns.call('slow.test').signal.aborted).toBe(true);
    expect(dns.started()).toEqual(['slow.test']);
    expect(resolver.stats()).toEqual({ running: 0, queued: 0, cached: 0, tabs: 0 });
  });

  it('shares one lookup between tabs asking for the same name', async () => {
    const resolver = make();
    const a = track(resolver.resolve('shared.test', {}));
    const b = track(resolver.resolve('shared.test', {}));
    await flush();
    dns.call('shared.test').answer('192.0.2.9');
    await flush();
    expect([a.result, b.result]).toEqual(['192.0.2.9', '192.0.2.9']);
    expect(dns.calls).toHaveLength(1);
  });

  it('drops a gone tab\'s queue and cancels the lookups only it waited for', async () => {
    const resolver = make({ maxActive: 2, maxActivePerRequester: 2 });
    const [gone, stays] = [{}, {}];
    const goneRequests = ['g0', 'g1', 'g2', 'shared'].map((n) => track(resolver.resolve(`${n}.test`, gone)));
    const waiting = track(resolver.resolve('s0.test', stays));
    await flush();
    expect(dns.started()).toEqual(['g0.test', 'g1.test']);
    resolver.forget(gone);
    await flush();
    expect(goneRequests.map((r) => r.result)).toEqual(Array(4).fill(`error ${ErrorCode.CONNECT_FAILED}: the tab is gone`));
    expect(dns.call('g0.test').signal.aborted).toBe(true);
    expect(dns.started()).toEqual(['g0.test', 'g1.test', 's0.test']);
    dns.call('s0.test').answer('192.0.2.5');
    await flush();
    expect(waiting.result).toBe('192.0.2.5');
    expect(resolver.stats()).toMatchObject({ running: 0, queued: 0, tabs: 0 });
  });

  it('keeps a lookup another tab still waits for when its owner goes', async () => {
    const resolver = make();
    const [gone, stays] = [{}, {}];
    void resolver.resolve('both.test', gone).catch(() => {});
    const kept = track(resolver.resolve('both.test', stays));
    await flush();
    resolver.forget(gone);
    expect(dns.call('both.test').signal.aborted).toBe(false);
    dns.call('both.test').answer('192.0.2.4');
    await flush();
    expect(kept.result).toBe('192.0.2.4');
  });
});

describe('policy over the name resolver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns lookup failures into policy errors with their bridge codes', async () => {
    const dns = new FakeDns();
    const resolver = new NameResolver({ lookup: dns.lookup, maxPendingPerRequester: 1, lookupTimeoutMs: 5000 });
    const policy = new Policy({ allowPrivate: false, ownHttpPort: () => 8080, resolver });
    const tab = {};
    const hang = policy.resolve('hang.test', 6881, tab).catch((e: unknown) => e);
    const limited = await policy.resolve('more.test', 6881, tab).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(PolicyError);
    expect(limited).toMatchObject({ code: ErrorCode.LIMIT, message: expect.stringMatching(/^cannot resolve more.test: too many name lookups/) });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await hang).toMatchObject({ code: ErrorCode.TIMEOUT, message: 'cannot resolve hang.test: timed out after 5 s' });
    const refused = policy.resolve('private.test', 6881, tab).catch((e: unknown) => e);
    await flush();
    dns.call('private.test').answer('10.0.0.1');
    expect(await refused).toMatchObject({ code: ErrorCode.REFUSED_ADDRESS, message: expect.stringMatching(/private.test resolves to 10.0.0.1, which is a private address/) });
  });
});

describe('the --dns-server option', () => {
  it('takes IP addresses with optional ports, from the flag or the environment', () => {
    expect(parseOptions([], {}).dnsServers).toBeUndefined();
    expect(parseOptions(['--dns-server', '192.0.2.53, 192.0.2.54:5353,[2001:db8::53]:53,2001:db8::54'], {}).dnsServers).toEqual([
      '192.0.2.53',
      '192.0.2.54:5353',
      '[2001:db8::53]:53',
      '2001:db8::54',
    ]);
    expect(parseOptions([], { GATEWAY_DNS_SERVER: '127.0.0.1:53' }).dnsServers).toEqual(['127.0.0.1:53']);
    expect(() => parseOptions(['--dns-server', 'dns.example'], {})).toThrow(OptionsError);
    expect(() => parseOptions(['--dns-server', '192.0.2.53:0'], {})).toThrow(/--dns-server/);
  });
});
