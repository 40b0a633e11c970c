// The gateway's HTTP requests (upgrades go to Signaling): the first visit with `?token=` is turned
// into a cookie and a redirect to the bare URL; /config.json tells the page its settings and
// whether it is signed in; everything else is the built app. No request can throw out of here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { unmapAddress } from './address-class.ts';
import { servedOverHttps, type Authenticator } from './auth.ts';
import type { AuthThrottle } from './auth-throttle.ts';
import { logInternalError } from './last-resort.ts';
import { parseRequestTarget } from './request-target.ts';
import { securityHeaders } from './security-headers.ts';
import { createStaticHandler, sendText } from './static.ts';

export interface HttpAppOptions {
  auth: Authenticator;
  throttle: AuthThrottle;
  staticDir: string;
  /** The tab's settings that belong to the operator (not secret). */
  clientConfig: Record<string, unknown>;
}

const WRONG_TOKEN_PAGE = `<!doctype html>
<meta charset="utf-8"><title>Wrong access token</title>
<p>The access token in this link is wrong. Open the link the gateway printed when it started.</p>
`;

export function createHttpApp(options: HttpAppOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = createStaticHandler(options.staticDir);
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const target = parseRequestTarget(req.url);
    if (target === null) return sendText(res, 400, 'bad request target\n');
    if (target.searchParams.has('token')) return signIn(options, req, res, target);
    if (target.pathname === '/config.json') return sendConfig(options, req, res);
    return serveStatic(req, res);
  };
  return (req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      logInternalError('HTTP request', error);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    }
  };
}

function sendConfig(options: HttpAppOptions, req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ ...options.clientConfig, authorised: options.auth.check(req) === 'valid' });
  res.writeHead(200, { ...securityHeaders(), 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(body);
}

/** `?token=…`: a right token becomes a cookie, and the URL loses it; a wrong one is slowed. */
function signIn(options: HttpAppOptions, req: IncomingMessage, res: ServerResponse, target: URL): void {
  const token = target.searchParams.get('token') ?? '';
  if (!options.auth.tokenMatches(token)) {
    const address = unmapAddress(req.socket.remoteAddress ?? 'unknown');
    const delayMs = options.throttle.failed(address, 'a page visit with a wrong token');
    if (delayMs === null) return void req.socket.destroy();
    options.throttle.answerLater(delayMs, () => sendText(res, 401, WRONG_TOKEN_PAGE, 'text/html; charset=utf-8'));
    return;
  }
  target.searchParams.delete('token');
  res.writeHead(303, {
    ...securityHeaders(),
    'set-cookie': options.auth.setCookieHeader(servedOverHttps(req)),
    // Relative: the browser keeps the fragment (#magnet=…) and the host the user typed.
    location: target.pathname + target.search,
    'cache-control': 'no-store',
    'content-length': 0,
  });
  res.end();
}
