// Gateway options: each one a command-line flag and an environment variable (flag wins).
import { randomBytes } from 'node:crypto';
import { parseHostPort } from '../shared/host-port.ts';
import { isIP } from 'node:net';
import { normaliseOrigin } from './origin-check.ts';

export interface GatewayOptions {
  host: string;
  /** HTTP + signaling port; 0 = any free port. */
  port: number;
  token: string;
  /** Relay to private, loopback, link-local and reserved addresses (tests, home LANs). */
  allowPrivate: boolean;
  /** Inbound BitTorrent TCP listener; 0 = any free port. */
  peerPort: number;
  staticDir: string;
  /** Address node-datachannel binds ICE to. */
  iceBind?: string;
  /** Public address written into our ICE candidates instead of the bound one. */
  iceAnnounce?: string;
  icePortRange?: { begin: number; end: number };
  maxSessions: number;
  /** DHT bootstrap nodes ("host:port") the gateway suggests to its tabs; empty: no DHT. */
  dhtBootstrap: string[];
  /** Other web origins whose pages may use /signal ("*": any); the gateway's own always may. */
  allowOrigins: string[];
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
  { flag: '--host', env: 'GATEWAY_HOST', arg: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
  { flag: '--port', env: 'GATEWAY_PORT', arg: 'N', help: 'HTTP + signaling port (default 8080; 0 = any)' },
  { flag: '--token', env: 'GATEWAY_TOKEN', arg: 'TEXT', help: 'access token (default: 32 random hex chars)' },
  { flag: '--allow-private', env: 'GATEWAY_ALLOW_PRIVATE', arg: null, help: 'allow relaying to private, loopback and link-local addresses' },
  { flag: '--peer-port', env: 'GATEWAY_PEER_PORT', arg: 'N', help: 'inbound BitTorrent TCP port (default 6881; 0 = any)' },
  { flag: '--static-dir', env: 'GATEWAY_STATIC_DIR', arg: 'DIR', help: 'built app to serve (default dist/)' },
  { flag: '--ice-bind', env: 'GATEWAY_ICE_BIND', arg: 'ADDR', help: 'address WebRTC (ICE) binds to (default: --host if it is an IP)' },
  { flag: '--ice-announce', env: 'GATEWAY_ICE_ANNOUNCE', arg: 'ADDR', help: 'public IP to announce in ICE candidates (NAT, containers)' },
  { flag: '--ice-ports', env: 'GATEWAY_ICE_PORTS', arg: 'LO-HI', help: 'UDP port range for ICE, e.g. 50000-50100' },
  { flag: '--max-sessions', env: 'GATEWAY_MAX_SESSIONS', arg: 'N', help: 'most tabs served at once (default 64)' },
  { flag: '--allow-origin', env: 'GATEWAY_ALLOW_ORIGIN', arg: 'LIST', help: 'other web origins whose pages may connect, https://a.example,… or "*" (default: only the gateway\'s own pages)' },
  { flag: '--dht-bootstrap', env: 'GATEWAY_DHT_BOOTSTRAP', arg: 'LIST', help: 'DHT bootstrap nodes for the tabs, host:port,… or "none" (default: public routers)' },
];

export function usage(): string {
  const lines = SPECS.map((s) => {
    const left = s.arg ? `${s.flag} ${s.arg}` : s.flag;
    return `  ${left.padEnd(24)} ${s.env.padEnd(22)} ${s.help}`;
  });
  return ['Usage: tsx gateway/main.ts [options]', '', '  flag                     env var', ...lines, '  --help'].join('\n');
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
  const token = v.get('--token') ?? randomBytes(16).toString('hex');
  if (token.length < 8) throw new OptionsError('--token: use at least 8 characters');
  return {
    host,
    port: parsePort('--port', v.get('--port') ?? '8080'),
    token,
    allowPrivate: v.has('--allow-private') ? parseBool('--allow-private', v.get('--allow-private')!) : false,
    peerPort: parsePort('--peer-port', v.get('--peer-port') ?? '6881'),
    staticDir: v.get('--static-dir') ?? 'dist/',
    iceBind,
    iceAnnounce: v.has('--ice-announce') ? parseIp('--ice-announce', v.get('--ice-announce')!) : undefined,
    icePortRange: v.has('--ice-ports') ? parsePortRange(v.get('--ice-ports')!) : undefined,
    maxSessions,
    dhtBootstrap: parseNodeList(v.get('--dht-bootstrap')),
    allowOrigins: parseOriginList(v.get('--allow-origin')),
  };
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
