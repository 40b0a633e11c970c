// What the gateway agrees to relay to: address and port rules, checked before every connect,
// every HTTP hop and every UDP destination. The messages are written for the person running it.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ErrorCode, type ErrorCodeValue } from '../shared/bridge/frames.ts';
import { classifyAddress, PRIVATE_CLASSES, unmapAddress } from './address-class.ts';

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
  resolveTimeoutMs?: number;
}

const WELL_KNOWN_ALLOWED = new Set([80, 443]);

function article(cls: string): string {
  return /^[aeiou]/.test(cls) ? 'an' : 'a';
}

export class Policy {
  private readonly ownAddresses: Set<string>;

  constructor(private readonly options: PolicyOptions) {
    this.ownAddresses = new Set(['0.0.0.0', '::']);
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) this.ownAddresses.add(info.address);
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
    const address = unmapAddress(ip);
    const cls = classifyAddress(address);
    const named = hostForMessage === address ? address : `${hostForMessage} resolves to ${address}, which`;
    if (cls !== 'public' && !(this.options.allowPrivate && PRIVATE_CLASSES.has(cls))) {
      const hint = PRIVATE_CLASSES.has(cls) ? '; start the gateway with --allow-private to allow it' : '';
      throw new PolicyError(ErrorCode.REFUSED_ADDRESS, `refused: ${named} is ${article(cls)} ${cls} address${hint}`);
    }
    const own = this.ownAddresses.has(address) || cls === 'loopback';
    if (own && port === this.options.ownHttpPort()) {
      throw new PolicyError(ErrorCode.REFUSED_ADDRESS, `refused: ${hostForMessage}:${port} is this gateway's own HTTP port`);
    }
  }

  /**
   * Resolves `host` (all its addresses) and checks port and every address; returns the one to
   * connect to, so that a second lookup cannot swap in another address.
   */
  async resolve(host: string, port: number): Promise<ResolvedTarget> {
    this.checkPort(port);
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const literal = isIP(bare);
    const addresses = literal ? [{ address: bare, family: literal }] : await this.lookupAll(bare);
    if (addresses.length === 0) throw new PolicyError(ErrorCode.CONNECT_FAILED, `cannot resolve ${host}: no addresses`);
    for (const a of addresses) this.checkAddress(a.address, port, bare);
    const first = addresses[0]!;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private async lookupAll(host: string): Promise<{ address: string; family: number }[]> {
    const timeoutMs = this.options.resolveTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PolicyError(ErrorCode.TIMEOUT, `cannot resolve ${host}: timed out`)), timeoutMs);
    });
    try {
      return await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    } catch (err) {
      if (err instanceof PolicyError) throw err;
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new PolicyError(ErrorCode.CONNECT_FAILED, `cannot resolve ${host}: ${code}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
