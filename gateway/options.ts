// Gateway options: each one a command-line flag and an environment variable (flag wins).
import { randomBytes } from 'node:crypto';
import { parseHostPort } from '../shared/host-port.ts';
import { isIP } from 'node:net';
import { MIN_TOKEN_LENGTH } from './auth.ts';
import { MAX_STREAMS_TOTAL } from './limits.ts';
import { normaliseOrigin } from './origin-check.ts';
import { HTTP_IDLE_TIMEOUT_MS } from './relays/http-deadlines.ts';

export interface GatewayOptions {
  /** The HTTP + signaling server's address (only it: peers come in on `peerHost`). */
  host: string;
  /** HTTP + signaling port; 0 = any free port. */
  port: number;
  token: string;
  /** Relay to private, loopback, link-local and reserved addresses (tests, home LANs). */
  allowPrivate: boolean;
  /** Inbound BitTorrent TCP listener; 0 = any free port. */
  peerPort: number;
  /** Address of the inbound peer listener (TCP) and the uTP/UDP sockets; undefined: all interfaces. */
  peerHost?: string;
  staticDir: string;
  /** Address node-datachannel binds ICE to. */
  iceBind?: string;
  /** Public address written into our ICE candidates instead of the bound one. */
  iceAnnounce?: string;
  icePortRange?: { begin: number; end: number };
  maxSessions: number;
  /** Relayed streams (TCP, uTP, HTTP, inbound) across all tabs; each tab gets a share. */
  maxStreams: number;
  /** DHT bootstrap nodes ("host:port") the gateway suggests to its tabs; empty: no DHT. */
  dhtBootstrap: string[];
  /** Other web origins whose pages may use /signal ("*": any); the gateway's own always may. */
  allowOrigins: string[];
  /** DNS servers for name lookups ("ip" or "ip:port"); undefined: the system's (/etc/resolv.conf). */
  dnsServers?: string[];
  /** An HTTP relay body that sends nothing this long (while we read) ends with TIMEOUT. */
  httpIdleTimeoutMs: number;
}

/** The well-known public routers (BEP 5 clients' usual defaults). */
export const PUBLIC_DHT_ROUTERS = ['router.bittorrent.com:6881', 'dht.transmissionbt.com:6881', 'router.utorrent.com:6881'];

export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

interface OptionSpec {
  flag: string;
  env: string;
  arg: string | null; // null: a boolean switch
  help: string;
}

const SPECS: OptionSpec[] = [
  { flag: '--host', env: 'GATEWAY_HOST', arg: 'ADDR', help: 'address the web server (app + /signal) listens on (default 127.0.0.1)' },
  { flag: '--port', env: 'GATEWAY_PORT', arg: 'N', help: 'HTTP + signaling port (default 8080; 0 = any)' },
  { flag: '--token', env: 'GATEWAY_TOKEN', arg: 'TEXT', help: 'access token (default: 32 random hex chars)' },
  { flag: '--allow-private', env: 'GATEWAY_ALLOW_PRIVATE', arg: null, help: 'allow relaying to private, loopback and link-local addresses' },
  { flag: '--peer-port', env: 'GATEWAY_PEER_PORT', arg: 'N', help: 'inbound BitTorrent TCP port (default 6881; 0 = any)' },
  { flag: '--peer-host', env: 'GATEWAY_PEER_HOST', arg: 'ADDR', help: 'address peers reach us on, TCP and uTP/UDP (default: all interfaces, :: or 0.0.0.0)' },
  { flag: '--static-dir', env: 'GATEWAY_STATIC_DIR', arg: 'DIR', help: 'built app to serve (default dist/)' },
  { flag: '--ice-bind', env: 'GATEWAY_ICE_BIND', arg: 'ADDR', help: 'address WebRTC (ICE) binds to (default: --host if it is an IP)' },
  { flag: '--ice-announce', env: 'GATEWAY_ICE_ANNOUNCE', arg: 'ADDR', help: 'public IP to announce in ICE candidates (NAT, containers)' },
  { flag: '--ice-ports', env: 'GATEWAY_ICE_PORTS', arg: 'LO-HI', help: 'UDP port range for ICE, e.g. 50000-50100' },
  { flag: '--max-sessions', env: 'GATEWAY_MAX_SESSIONS', arg: 'N', help: 'most tabs served at once (default 64)' },
  { flag: '--max-streams', env: 'GATEWAY_MAX_STREAMS', arg: 'N', help: `most relayed connections at once, all tabs together (default ${MAX_STREAMS_TOTAL}); each tab gets a share` },
  { flag: '--allow-origin', env: 'GATEWAY_ALLOW_ORIGIN', arg: 'LIST', help: 'other web origins whose pages may connect, https://a.example,… or "*" (default: only the gateway\'s own pages)' },
  { flag: '--dht-bootstrap', env: 'GATEWAY_DHT_BOOTSTRAP', arg: 'LIST', help: 'DHT bootstrap nodes for the tabs, host:port,… or "none" (default: public routers)' },
  { flag: '--dns-server', env: 'GATEWAY_DNS_SERVER', arg: 'LIST', help: 'DNS servers for name lookups, ip[:port],… (default: those in /etc/resolv.conf)' },
  { flag: '--http-idle-timeout', env: 'GATEWAY_HTTP_IDLE_TIMEOUT', arg: 'SECONDS', help: `end an HTTP relay body silent this long (default ${HTTP_IDLE_TIMEOUT_MS / 1000})` },
];

export function usage(): string {
  const lefts = SPECS.map((s) => (s.arg ? `${s.flag} ${s.arg}` : s.flag));
  const flagWidth = Math.max(...lefts.map((l) => l.length)) + 1;
  const envWidth = Math.max(...SPECS.map((s) => s.env.length)) + 1;
  const lines = SPECS.map((s, i) => `  ${lefts[i]!.padEnd(flagWidth)} ${s.env.padEnd(envWidth)} ${s.help}`);
  return ['Usage: tsx gateway/main.ts [options]', '', `  ${'flag'.padEnd(flagWidth)} env var`, ...lines, '  --help'].join('\n');
}

/** Raw option values by flag name, from argv then env. Throws OptionsError on unknown flags. */
function collect(argv: readonly string[], env: NodeJS.ProcessEnv): Map<string, string> {
  const values = new Map<string, string>();
  for (const spec of SPECS) {
    const v = env[spec.env];
    if (v !== undefined && v !== '') values.set(spec.flag, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(0, eq) : word;
    const spec = SPECS.find((s) => s.flag === name);
    if (!spec) throw new OptionsError(`unknown option ${name} (see --help)`);
    if (spec.arg === null) {
      values.set(name, eq >= 0 ? word.slice(eq + 1) : '1');
    } else if (eq >= 0) {
      values.set(name, word.slice(eq + 1));
    } else {
      const next = argv[++i];
      if (next === undefined) throw new OptionsError(`${name} needs a value (${spec.arg})`);
      values.set(name, next);
    }
  }
  return values;
}

function parsePort(name: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new OptionsError(`${name}: not a port number: ${text}`);
  return n;
}

function parseBool(name: string, text: string): boolean {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  throw new OptionsError(`${name}: expected 1 or 0, got ${text}`);
}

function parsePortRange(text: string): { begin: number; end: number } {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m) throw new OptionsError(`--ice-ports: expected LO-HI, e.g. 50000-50100, got ${text}`);
  const begin = parsePort('--ice-ports', m[1]!);
  const end = parsePort('--ice-ports', m[2]!);
  if (begin === 0 || end < begin) throw new OptionsError(`--ice-ports: bad range ${text}`);
  return { begin, end };
}

function parseIp(name: string, text: string): string {
  if (isIP(text) === 0) throw new OptionsError(`${name}: not an IP address: ${text}`);
  return text;
}

/** True when argv asks for help (checked before parsing, so `--help` never errors). */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = {}): GatewayOptions {
  const v = collect(argv, env);
  const host = v.get('--host') ?? '127.0.0.1';
  const hostIsUsableIp = isIP(host) !== 0 && host !== '0.0.0.0' && host !== '::';
  const iceBind = v.has('--ice-bind') ? parseIp('--ice-bind', v.get('--ice-bind')!) : hostIsUsableIp ? host : undefined;
  const maxSessions = Number(v.get('--max-sessions') ?? '64');
  if (!Number.isInteger(maxSessions) || maxSessions < 1) throw new OptionsError('--max-sessions: expected a positive integer');
  const maxStreams = Number(v.get('--max-streams') ?? String(MAX_STREAMS_TOTAL));
  if (!Number.isInteger(maxStreams) || maxStreams < 1) throw new OptionsError('--max-streams: expected a positive integer');
  const token = v.get('--token') ?? randomBytes(16).toString('hex');
  if (token.length < MIN_TOKEN_LENGTH) throw new OptionsError(`--token: use at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 16)`);
  return {
    host,
    port: parsePort('--port', v.get('--port') ?? '8080'),
    token,
    allowPrivate: v.has('--allow-private') ? parseBool('--allow-private', v.get('--allow-private')!) : false,
    peerPort: parsePort('--peer-port', v.get('--peer-port') ?? '6881'),
    peerHost: v.has('--peer-host') ? parseIp('--peer-host', v.get('--peer-host')!) : undefined,
    staticDir: v.get('--static-dir') ?? 'dist/',
    iceBind,
    iceAnnounce: v.has('--ice-announce') ? parseIp('--ice-announce', v.get('--ice-announce')!) : undefined,
    icePortRange: v.has('--ice-ports') ? parsePortRange(v.get('--ice-ports')!) : undefined,
    maxSessions,
    maxStreams,
    dhtBootstrap: parseNodeList(v.get('--dht-bootstrap')),
    allowOrigins: parseOriginList(v.get('--allow-origin')),
    dnsServers: parseDnsServers(v.get('--dns-server')),
    httpIdleTimeoutMs: parseSeconds('--http-idle-timeout', v.get('--http-idle-timeout')) ?? HTTP_IDLE_TIMEOUT_MS,
  };
}

/** A positive number of seconds (fractions allowed) as milliseconds. */
function parseSeconds(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Math.round(Number(text) * 1000);
  if (!/^\d+(\.\d+)?$/.test(text) || ms < 1 || ms > 24 * 3600 * 1000) throw new OptionsError(`${name}: expected a number of seconds, got ${text}`);
  return ms;
}

/** "ip", "ip:port", "[ipv6]:port" or a bare IPv6, as c-ares' setServers takes them. */
function parseDnsServers(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((item) => {
    const server = item.trim();
    const ip = isIP(server) !== 0 ? server : parseHostPort(server)?.host;
    if (ip === undefined || isIP(ip) === 0) throw new OptionsError(`--dns-server: expected an IP address with an optional :port, got ${server}`);
    return server;
  });
}

function parseNodeList(text: string | undefined): string[] {
  if (text === undefined) return [...PUBLIC_DHT_ROUTERS];
  if (text.trim() === 'none' || text.trim() === '') return [];
  return text.split(',').map((item) => {
    const node = item.trim();
    if (!parseHostPort(node)) throw new OptionsError(`--dht-bootstrap: expected host:port, got ${node}`);
    return node;
  });
}

function parseOriginList(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => {
    try {
      return normaliseOrigin(item.trim());
    } catch (error) {
      throw new OptionsError(`--allow-origin: ${(error as Error).message}`);
    }
  });
}

/** Options for programmatic use (tests): defaults for everything not given. */
export function withDefaults(partial: Partial<GatewayOptions>): GatewayOptions {
  const base = parseOptions(partial.host !== undefined ? ['--host', partial.host] : [], {});
  return { ...base, ...partial };
}
