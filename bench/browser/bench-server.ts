// The browser bench's own HTTP server on 127.0.0.1 (never the gateway's): serves the plain-JS pages
// in page/, the bench .torrent files and WebTorrent's browser build, takes the figures pages POST to
// /report/<id>, and upgrades /signal to a WebSocket for the raw data channel's signaling. CORS is open
// because the app that reports lives on the gateway's origin.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PAGE_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
const MAX_REPORT_BYTES = 64 * 1024;

export type Report = Record<string, unknown> & { event?: string };

export interface BenchServer {
  origin: string;
  /** URL a page POSTs its figures to, for the waiter `id`. */
  reportUrl(id: string): string;
  /** Serves `path` at the returned URL. */
  serveFile(path: string): string;
  /** Resolves at the first report for `id` whose event is one of `events` (or 'error': rejects). */
  waitForReport(id: string, events: readonly string[], timeoutMs: number): Promise<Report>;
  /** Every report received for `id` so far. */
  reports(id: string): Report[];
  /** Called for each WebSocket opened on /signal. */
  onSignalSocket: ((socket: WebSocket) => void) | null;
  close(): Promise<void>;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-allow-private-network': 'true',
};

export async function startBenchServer(): Promise<BenchServer> {
  const files = new Map<string, string>();
  const received = new Map<string, Report[]>();
  const listeners = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, CORS_HEADERS);
      res.end(String(err.message));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  const bench: BenchServer = {
    origin: '',
    reportUrl: (id) => `${bench.origin}/report/${encodeURIComponent(id)}`,
    serveFile(path) {
      const name = `${files.size}-${basename(path)}`;
      files.set(name, path);
      return `${bench.origin}/files/${encodeURIComponent(name)}`;
    },
    waitForReport: (id, events, timeoutMs) => waitFor(id, events, timeoutMs),
    reports: (id) => [...(received.get(id) ?? [])],
    onSignalSocket: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_HEADERS).end();
    } else if (req.method === 'POST' && url.pathname.startsWith('/report/')) {
      const id = decodeURIComponent(url.pathname.slice('/report/'.length));
      const report = JSON.parse(await readBody(req)) as Report;
      received.set(id, [...(received.get(id) ?? []), report]);
      for (const listener of [...listeners]) listener();
      res.writeHead(204, CORS_HEADERS).end();
    } else if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const path = files.get(decodeURIComponent(url.pathname.slice('/files/'.length)));
      if (!path) return void res.writeHead(404, CORS_HEADERS).end();
      const { size } = await stat(path);
      const type = path.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'application/x-bittorrent'; // a .js is a module script
      res.writeHead(200, { ...CORS_HEADERS, 'content-type': type, 'content-length': size });
      createReadStream(path).pipe(res);
    } else if (req.method === 'GET' && /^\/[a-z-]+\.(html|js)$/.test(url.pathname)) {
      const body = await readFile(join(PAGE_DIR, url.pathname.slice(1)));
      const type = PAGE_TYPES[url.pathname.slice(url.pathname.lastIndexOf('.'))]!;
      res.writeHead(200, { ...CORS_HEADERS, 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } else {
      res.writeHead(404, CORS_HEADERS).end();
    }
  }

  function waitFor(id: string, events: readonly string[], timeoutMs: number): Promise<Report> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const report of received.get(id) ?? []) {
          if (report.event === 'error') return done(() => reject(new Error(`page reported an error: ${String(report.message)}`)));
          if (events.includes(String(report.event))) return done(() => resolve(report));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${events.join('/')} report for ${id} within ${timeoutMs} ms`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      check();
    });
  }

  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/signal')) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => bench.onSignalSocket?.(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bench.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return bench;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > MAX_REPORT_BYTES) throw new Error('report too large');
  }
  return body;
}
