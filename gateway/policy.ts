// What the gateway agrees to relay to: address and port rules, checked before every connect,
// every HTTP hop and every UDP destination. The messages are written for the person running it.
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ErrorCode, type ErrorCodeValue } from '../shared/bridge/frames.ts';
import { canonicalAddress, classifyAddress, embeddedAddresses, PRIVATE_CLASSES } from './address-class.ts';
import { caresLookup } from './dns-lookup.ts';
import { NameResolver, ResolveError } from './name-resolver.ts';

export class PolicyError extends Error {
  constructor(readonly code: ErrorCodeValue, message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

export interface PolicyOptions {
  allowPrivate: boolean;
  /** The gateway's own HTTP port (known once listening). */
  ownHttpPort: () => number;
  /** DNS servers ("ip[:port]") for name lookups; default: the system's (/etc/resolv.conf). */
  dnsServers?: readonly string[];
  /** Name lookups (tests give one with a fake lookup function). */
  resolver?: NameResolver;
}

const WELL_KNOWN_ALLOWED = new Set([80, 443]);

function article(cls: string): string {
  return /^[aeiou]/.test(cls) ? 'an' : 'a';
}

export class Policy {
  private readonly ownAddresses: Set<string>;
  private readonly resolver: NameResolver;

  constructor(private readonly options: PolicyOptions) {
    this.resolver = options.resolver ?? new NameResolver({ lookup: caresLookup(options.dnsServers) });
    this.ownAddresses = new Set(['0.0.0.0', '::']);
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) this.ownAddresses.add(canonicalAddress(info.address));
    }
  }

  get allowPrivate(): boolean {
    return this.options.allowPrivate;
  }

  /** Throws PolicyError unless `port` may be relayed to. */
  checkPort(port: number): void {
    if (port === 0) throw new PolicyError(ErrorCode.REFUSED_ADDRESS, 'refused: port 0');
    if (port < 1024 && !WELL_KNOWN_ALLOWED.has(port)) {
      throw new PolicyError(ErrorCode.REFUSED_ADDRESS, `refused: port ${port} is below 1024 (only 80 and 443 are allowed there)`);
    }
  }

  /** Throws PolicyError unless the IP (already resolved) may be relayed to. */
  checkAddress(ip: string, port: number, hostForMessage = ip): void {
    const address = canonicalAddress(ip);
    const cls = classifyAddress(address);
    const named = hostForMessage === address ? address : `${hostForMessage} resolves to ${address}, which`;
    if (cls !== 'public' && !(this.options.allowPrivate && PRIVATE_CLASSES.has(cls))) {
      const hint = PRIVATE_CLASSES.has(cls) ? '; start the gateway with --allow-private to allow it' : '';
      throw new PolicyError(ErrorCode.REFUSED_ADDRESS, `refused: ${named} is ${article(cls)} ${cls} address${hint}`);
    }
    // Any form naming one of our addresses counts (::ffff:a.b.c.d, 6to4 and NAT64 of it too).
    const own = cls === 'loopback' || [address, ...embeddedAddresses(address)].some((a) => this.ownAddresses.has(a));
    if (own && port === this.options.ownHttpPort()) {
      throw new PolicyError(ErrorCode.REFUSED_ADDRESS, `refused: ${hostForMessage}:${port} is this gateway's own HTTP port`);
    }
  }

  /**
   * Resolves `host` (all its addresses) and checks port and every address; returns the one to
   * connect to, so that a second lookup cannot swap in another address. `requester` stands for
   * the tab asking (its Session): name lookups are shared fairly between tabs.
   */
  async resolve(host: string, port: number, requester: object): Promise<ResolvedTarget> {
    this.checkPort(port);
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const literal = isIP(bare);
    const addresses = literal ? [{ address: bare, family: literal }] : await this.lookupAll(bare, requester);
    if (addresses.length === 0) throw new PolicyError(ErrorCode.CONNECT_FAILED, `cannot resolve ${host}: no addresses`);
    for (const a of addresses) this.checkAddress(a.address, port, bare);
    const first = addresses[0]!;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /** The tab is gone: its name lookups still waiting are dropped. */
  forgetRequester(requester: object): void {
    this.resolver.forget(requester);
  }

  private async lookupAll(host: string, requester: object): Promise<{ address: string; family: number }[]> {
    try {
      return await this.resolver.resolve(host, requester);
    } catch (err) {
      if (!(err instanceof ResolveError)) throw err;
      throw new PolicyError(err.code, `cannot resolve ${host}: ${err.message}`);
    }
  }
}
