// Serves the built app (vite's dist/) to the tab: GET/HEAD only, no path traversal, real MIME types.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { parseRequestTarget } from './request-target.ts';
import { securityHeaders } from './security-headers.ts';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const NOT_BUILT_PAGE = `<!doctype html>
<meta charset="utf-8"><title>Gateway running</title>
<p>The gateway is running, but the app is not built yet.</p>
<p>Run <code>npm run build</code> and reload this page.</p>
`;

export function sendText(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** The file under `root` that `urlPath` names, or null if it escapes `root` or is malformed. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const full = resolve(root, relative);
  return full === root || full.startsWith(root + sep) ? full : null;
}

export function createStaticHandler(staticDir: string): (req: IncomingMessage, res: ServerResponse) => void {
  const root = resolve(staticDir);
  return (req, res) => {
    serve(root, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    });
  };
}

async function serve(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed\n');
  }
  const target = parseRequestTarget(req.url);
  if (target === null) return sendText(res, 400, 'bad request target\n');
  const path = target.pathname;
  const rootReal = await realpath(root).catch(() => null);
  if (rootReal === null) {
    return path === '/' ? sendText(res, 200, NOT_BUILT_PAGE, 'text/html; charset=utf-8') : sendText(res, 404, 'not found\n');
  }
  const file = resolveStaticPath(rootReal, path);
  // realpath again: a symlink inside the root must not lead outside it.
  const real = file ? await realpath(file).catch(() => null) : null;
  const info = real && (real === rootReal || real.startsWith(rootReal + sep)) ? await stat(real).catch(() => null) : null;
  if (!real || !info?.isFile()) {
    return path === '/' ? sendText(res, 200, NOT_BUILT_PAGE, 'text/html; charset=utf-8') : sendText(res, 404, 'not found\n');
  }
  const type = MIME_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream';
  const immutable = real.startsWith(join(rootReal, 'assets') + sep); // vite's hashed file names
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': type,
    'content-length': info.size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(real).on('error', () => res.destroy()).pipe(res);
}
