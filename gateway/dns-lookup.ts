// One name lookup over DNS with c-ares (node:dns Resolver: A and AAAA queries), not getaddrinfo:
// getaddrinfo runs on libuv's 4-thread pool, where a few lookups that never answer hold every
// thread (and file system work with them) until the OS gives up. c-ares queries are sockets on the
// event loop, with our own timeout and tries, and can be cancelled.
//
// c-ares reads the servers from /etc/resolv.conf unless `servers` is given. It does not read
// /etc/hosts; `localhost` is answered before we get here (see name-resolver.ts).
import { Resolver } from 'node:dns/promises';
import type { NameAddress } from './name-cache.ts';

export interface DnsAnswer {
  /** A records first, then AAAA. Never empty. */
  addresses: NameAddress[];
  /** The smallest record TTL, in seconds. */
  ttlSeconds: number;
}

/** Looks `name` up; rejects with an error carrying a c-ares `code` (ENOTFOUND, ETIMEOUT, …). */
export type LookupFunction = (name: string, signal: AbortSignal) => Promise<DnsAnswer>;

/** c-ares' wait for one server's answer before it tries again (the next server, if any). */
const QUERY_TIMEOUT_MS = 2000;
const QUERY_TRIES = 2;
/**
 * Once one family has answered with addresses, how long the other may still take: some servers
 * never answer AAAA queries (RFC 4074), and A records alone are enough to connect.
 */
const SECOND_FAMILY_GRACE_MS = 500;

type Records = { address: string; ttl: number }[];

export class DnsLookupError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'DnsLookupError';
  }
}

/** A LookupFunction over c-ares. Resolvers are reused: a channel is made once, not per lookup. */
export function caresLookup(servers?: readonly string[]): LookupFunction {
  const idle: Resolver[] = [];
  const take = (): Resolver => {
    const reused = idle.pop();
    if (reused) return reused;
    const resolver = new Resolver({ timeout: QUERY_TIMEOUT_MS, tries: QUERY_TRIES });
    if (servers && servers.length > 0) resolver.setServers([...servers]);
    return resolver;
  };
  return async (name, signal) => {
    // One resolver per lookup in flight, so cancel() ends this lookup's queries and no other's.
    const resolver = take();
    try {
      return await queryBothFamilies(resolver, name, signal);
    } finally {
      idle.push(resolver); // every query on it has settled by now
    }
  };
}

async function queryBothFamilies(resolver: Resolver, name: string, signal: AbortSignal): Promise<DnsAnswer> {
  let grace: NodeJS.Timeout | undefined;
  const cancel = () => resolver.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  const startGrace = (records: Records) => {
    if (records.length > 0) grace ??= setTimeout(cancel, SECOND_FAMILY_GRACE_MS);
    return records;
  };
  try {
    const [v4, v6] = await Promise.allSettled([
      resolver.resolve4(name, { ttl: true }).then(startGrace),
      resolver.resolve6(name, { ttl: true }).then(startGrace),
    ]);
    return combine(name, v4, v6);
  } finally {
    clearTimeout(grace);
    signal.removeEventListener('abort', cancel);
  }
}

function combine(name: string, v4: PromiseSettledResult<Records>, v6: PromiseSettledResult<Records>): DnsAnswer {
  const addresses: NameAddress[] = [];
  let ttlSeconds = Infinity;
  for (const [result, family] of [[v4, 4], [v6, 6]] as const) {
    if (result.status !== 'fulfilled') continue;
    for (const r of result.value) {
      addresses.push({ address: r.address, family });
      ttlSeconds = Math.min(ttlSeconds, r.ttl);
    }
  }
  if (addresses.length > 0) return { addresses, ttlSeconds };
  // No addresses: report the more telling failure (ENODATA only when both say so).
  const codes = [v4, v6].map((r) => (r.status === 'rejected' ? ((r.reason as NodeJS.ErrnoException).code ?? String(r.reason)) : 'ENODATA'));
  const code = codes.find((c) => c !== 'ENODATA') ?? 'ENODATA';
  throw new DnsLookupError(code, `${name}: ${code}`);
}
