// Who may use the gateway: whoever proves they hold the access token, without the token ever
// travelling in a URL. Three ways in:
//  - the page's cookie: the first visit with `?token=` gets an HttpOnly, SameSite=Strict cookie
//    (an HMAC of the token, so the cookie is not the token itself) and a redirect to the bare URL;
//  - a WebSocket subprotocol `tabtorrent-token.<hex of the token>` beside `tabtorrent` (pages of
//    other origins allowed by --allow-origin, and Node clients);
//  - `Authorization: Bearer <token>` (non-browser clients).
import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BRIDGE_SUBPROTOCOL, tokenFromSubprotocols } from '../shared/bridge/auth.ts';

export const AUTH_COOKIE = 'tabtorrent_auth';
/** The cookie lasts as long as the localStorage copy of the token used to: until cleared. */
const COOKIE_MAX_AGE_S = 400 * 24 * 3600;
export const MIN_TOKEN_LENGTH = 16;

export type Credential = 'valid' | 'missing' | 'wrong';

/** Constant-time comparison (hashes first, so lengths never leak through timing). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** A cookie's value from a Cookie header, or null (the first one of that name wins). */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function bearerToken(header: string | undefined): string | null {
  const m = header ? /^Bearer (.+)$/i.exec(header.trim()) : null;
  return m ? m[1]! : null;
}

function offeredSubprotocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' ? header.split(',').map((p) => p.trim()).filter(Boolean) : [];
}

/** True when the page was reached over HTTPS (directly, or through a TLS reverse proxy). */
export function servedOverHttps(req: IncomingMessage): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  // A forged header only costs the forger: browsers drop Secure cookies set over plain HTTP.
  return String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase() === 'https';
}

export class Authenticator {
  private readonly cookieSecret: string;

  constructor(private readonly token: string) {
    this.cookieSecret = createHmac('sha256', token).update('tabtorrent auth cookie v1').digest('hex');
  }

  tokenMatches(text: string): boolean {
    return secretsEqual(text, this.token);
  }

  /** What a request (page load or upgrade) proves. A wrong credential anywhere is 'wrong'. */
  check(req: IncomingMessage): Credential {
    const presented: Array<[string, string]> = [];
    const cookie = cookieValue(req.headers.cookie, AUTH_COOKIE);
    if (cookie !== null) presented.push([cookie, this.cookieSecret]);
    const fromProtocol = tokenFromSubprotocols(offeredSubprotocols(req));
    if (fromProtocol !== null) presented.push([fromProtocol, this.token]);
    const bearer = bearerToken(req.headers.authorization);
    if (bearer !== null) presented.push([bearer, this.token]);
    if (presented.length === 0) return 'missing';
    // Any one valid credential lets the request in: a stale cookie beside a good header is fine.
    return presented.some(([given, expected]) => secretsEqual(given, expected)) ? 'valid' : 'wrong';
  }

  /** The Set-Cookie header for a page that proved the token in its URL. */
  setCookieHeader(secure: boolean): string {
    return `${AUTH_COOKIE}=${this.cookieSecret}; Path=/; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  }
}

/** The ws server's subprotocol choice: ours when offered (the token one is never echoed). */
export function chooseSubprotocol(offered: Set<string>): string | false {
  return offered.has(BRIDGE_SUBPROTOCOL) ? BRIDGE_SUBPROTOCOL : false;
}
