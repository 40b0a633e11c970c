// Name lookups for every tab, so that no tab can stall another's: a bounded number run at once for
// the gateway and for each tab; the rest wait in a bounded queue per tab, and a free slot goes to
// the waiting tab served least recently (round-robin: a tab's backlog never goes before a newcomer);
// answers (and failures, briefly) are cached; a lookup that does not answer in time is
// cancelled and its slot freed. A "requester" is any object that stands for a tab (its Session).
import { ErrorCode, type ErrorCodeValue } from '../shared/bridge/frames.ts';
import type { LookupFunction } from './dns-lookup.ts';
import { NameCache, type CachedAnswer, type NameAddress, type NameCacheOptions } from './name-cache.ts';

export interface NameResolverOptions {
  lookup: LookupFunction;
  /** Lookups running at once, gateway-wide. */
  maxActive: number;
  /** Lookups running at once for one tab (the rest of its requests wait in its queue). */
  maxActivePerRequester: number;
  /** Requests one tab may have unanswered (queued, running or waiting on another's lookup). */
  maxPendingPerRequester: number;
  /** A lookup running longer is cancelled: its slot goes to the next request. */
  lookupTimeoutMs: number;
  /** A request (queue time included) not answered by then gets TIMEOUT. */
  requestTimeoutMs: number;
  cache: Omit<NameCacheOptions, 'now'>;
  now: () => number;
}

export const NAME_RESOLVER_DEFAULTS: Omit<NameResolverOptions, 'lookup'> = {
  maxActive: 32,
  maxActivePerRequester: 4,
  maxPendingPerRequester: 64,
  lookupTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  cache: { maxEntries: 4096, minTtlMs: 30_000, maxTtlMs: 300_000, negativeTtlMs: 15_000 },
  now: () => Date.now(),
};

/** Why a name has no addresses for us, with the bridge error code to answer. */
export class ResolveError extends Error {
  constructor(readonly code: ErrorCodeValue, message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

interface Request {
  name: string;
  tab: Tab;
  resolve: (addresses: NameAddress[]) => void;
  reject: (err: ResolveError) => void;
  timer?: NodeJS.Timeout;
}

interface Lookup {
  name: string;
  /** The tab whose slot it holds. */
  owner: Tab;
  /** Requests (of any tab) answered by this lookup. */
  waiters: Set<Request>;
  abort: AbortController;
  timer: NodeJS.Timeout;
}

interface Tab {
  key: object;
  queue: Request[];
  active: number;
  pending: number;
  /** When it last got a slot (a count of slots given out; 0: never). */
  lastServed: number;
}

const LOCALHOST: NameAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];
const MAX_NAME_LENGTH = 253;

export class NameResolver {
  private readonly options: NameResolverOptions;
  private readonly cache: NameCache;
  /** Tabs with something queued, running or pending. */
  private readonly tabs = new Map<object, Tab>();
  private readonly running = new Map<string, Lookup>();
  private slotsGiven = 0;

  constructor(options: Partial<NameResolverOptions> & Pick<NameResolverOptions, 'lookup'>) {
    this.options = { ...NAME_RESOLVER_DEFAULTS, ...options };
    this.cache = new NameCache({ ...this.options.cache, now: this.options.now });
  }

  stats(): { running: number; queued: number; cached: number; tabs: number } {
    let queued = 0;
    for (const tab of this.tabs.values()) queued += tab.queue.length;
    return { running: this.running.size, queued, cached: this.cache.size, tabs: this.tabs.size };
  }

  /** The addresses of `host` (A records first); rejects with ResolveError. */
  resolve(host: string, requester: object): Promise<NameAddress[]> {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (name === '' || name.length > MAX_NAME_LENGTH) return refuse(ErrorCode.CONNECT_FAILED, 'not a valid host name');
    // RFC 6761 §6.3: localhost and names under it are the loopback, never asked of DNS.
    if (name === 'localhost' || name.endsWith('.localhost')) return Promise.resolve(LOCALHOST);
    const cached = this.cache.get(name);
    if (cached) return fromCache(cached);
    const tab = this.tabs.get(requester) ?? { key: requester, queue: [], active: 0, pending: 0, lastServed: 0 };
    if (tab.pending >= this.options.maxPendingPerRequester) {
      return refuse(ErrorCode.LIMIT, `too many name lookups waiting for this tab (limit ${this.options.maxPendingPerRequester})`);
    }
    this.tabs.set(requester, tab);
    return new Promise((resolve, reject) => {
      const request: Request = { name, tab, resolve, reject };
      request.timer = setTimeout(() => this.expire(request), this.options.requestTimeoutMs);
      tab.pending++;
      const running = this.running.get(name);
      if (running) running.waiters.add(request);
      else tab.queue.push(request);
      this.pump();
    });
  }

  /** The tab is gone: its queued requests are dropped and lookups only it waited for cancelled. */
  forget(requester: object): void {
    const tab = this.tabs.get(requester);
    if (!tab) return;
    this.tabs.delete(requester);
    const gone = new ResolveError(ErrorCode.CONNECT_FAILED, 'the tab is gone');
    for (const request of tab.queue.splice(0)) this.answer(request, gone);
    for (const lookup of [...this.running.values()]) {
      for (const request of lookup.waiters) if (request.tab === tab) this.answer(request, gone);
      if (lookup.waiters.size === 0) this.cancel(lookup);
    }
    this.pump();
  }

  /** Starts queued requests while slots are free, one per tab in turn. */
  private pump(): void {
    while (this.running.size < this.options.maxActive) {
      const tab = this.nextTab();
      if (!tab) return;
      tab.lastServed = ++this.slotsGiven;
      this.begin(tab.queue.shift()!);
    }
  }

  /** Of the tabs that wait and are under their own cap, the one served least recently. */
  private nextTab(): Tab | undefined {
    let next: Tab | undefined;
    for (const tab of this.tabs.values()) {
      if (tab.queue.length === 0 || tab.active >= this.options.maxActivePerRequester) continue;
      if (!next || tab.lastServed < next.lastServed) next = tab;
    }
    return next;
  }

  /** A queued request's turn: answered from the cache, joined to a running lookup, or a new one. */
  private begin(request: Request): void {
    const cached = this.cache.get(request.name);
    if (cached) return this.answer(request, cached.ok ? cached.addresses : new ResolveError(cached.code, cached.reason));
    const running = this.running.get(request.name);
    if (running) return void running.waiters.add(request);
    const { name, tab } = request;
    const lookup: Lookup = {
      name,
      owner: tab,
      waiters: new Set([request]),
      abort: new AbortController(),
      timer: setTimeout(() => this.timedOut(lookup), this.options.lookupTimeoutMs),
    };
    this.running.set(name, lookup);
    tab.active++;
    Promise.resolve()
      .then(() => this.options.lookup(name, lookup.abort.signal))
      .then(
        (answer) => this.finish(lookup, { ok: true, addresses: answer.addresses }, answer.ttlSeconds),
        (err: unknown) => this.finish(lookup, failure(err)),
      );
  }

  private timedOut(lookup: Lookup): void {
    const seconds = this.options.lookupTimeoutMs / 1000;
    this.finish(lookup, { ok: false, code: ErrorCode.TIMEOUT, reason: `timed out after ${seconds} s` });
  }

  /** The lookup's answer (or failure) is in: cache it, answer its waiters, free its slot. */
  private finish(lookup: Lookup, answer: CachedAnswer, ttlSeconds = 0): void {
    if (this.running.get(lookup.name) !== lookup) return; // late: timed out or cancelled before
    if (answer.ok) this.cache.putAddresses(lookup.name, answer.addresses, ttlSeconds);
    else this.cache.putFailure(lookup.name, answer.code, answer.reason);
    const result = answer.ok ? answer.addresses : new ResolveError(answer.code, answer.reason);
    this.release(lookup);
    for (const request of lookup.waiters) this.answer(request, result);
    this.pump();
  }

  /** Nobody waits for the lookup any more: stop it, free its slot, cache nothing. */
  private cancel(lookup: Lookup): void {
    if (this.running.get(lookup.name) !== lookup) return;
    this.release(lookup);
    this.pump();
  }

  private release(lookup: Lookup): void {
    this.running.delete(lookup.name);
    clearTimeout(lookup.timer);
    lookup.abort.abort(); // ends its queries if they still run; a late answer finds it gone
    lookup.owner.active--;
    this.dropIfIdle(lookup.owner);
  }

  /** A request's own deadline (queue time included). */
  private expire(request: Request): void {
    const seconds = this.options.requestTimeoutMs / 1000;
    const queue = request.tab.queue;
    const queued = queue.indexOf(request);
    if (queued >= 0) queue.splice(queued, 1);
    this.answer(request, new ResolveError(ErrorCode.TIMEOUT, `timed out after ${seconds} s`));
    const lookup = this.running.get(request.name);
    if (lookup && lookup.waiters.size === 0) this.cancel(lookup);
  }

  private answer(request: Request, result: NameAddress[] | ResolveError): void {
    clearTimeout(request.timer);
    this.running.get(request.name)?.waiters.delete(request);
    request.tab.pending--;
    this.dropIfIdle(request.tab);
    if (result instanceof ResolveError) request.reject(result);
    else request.resolve(result);
  }

  private dropIfIdle(tab: Tab): void {
    if (tab.pending === 0 && tab.active === 0 && this.tabs.get(tab.key) === tab) this.tabs.delete(tab.key);
  }
}

function refuse(code: ErrorCodeValue, reason: string): Promise<never> {
  return Promise.reject(new ResolveError(code, reason));
}

function fromCache(answer: CachedAnswer): Promise<NameAddress[]> {
  return answer.ok ? Promise.resolve(answer.addresses) : refuse(answer.code, answer.reason);
}

/** A failed lookup as a cached answer: its DNS error code (ENOTFOUND, …) is the reason. */
function failure(err: unknown): CachedAnswer {
  const reason = (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);
  return { ok: false, code: reason === 'ETIMEOUT' ? ErrorCode.TIMEOUT : ErrorCode.CONNECT_FAILED, reason };
}
