// HTTP_GET: one GET (http or https), redirects followed with a policy check on every hop,
// answered as a stream: HTTP_RESPONSE, DATA under credit, CLOSE. Bodies are size-capped.
//
// The frame carries no headers. Its byte range (webseeds, BEP 19) becomes a `Range: bytes=START-END`
// request header; a URL fragment is never sent.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ErrorCode, FrameType, type ByteRange } from '../../shared/bridge/frames.ts';
import { PolicyError, type Policy } from '../policy.ts';
import { DEFAULT_HTTP_TIMEOUTS, HttpDeadlines, type HttpTimeouts } from './http-deadlines.ts';
import { OutboundPump } from './outbound-pump.ts';
import type { RelayStream, StreamHost } from './stream-host.ts';

export const MAX_HTTP_BODY_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = 'tabtorrent-gateway/0.1';

export interface HttpGetRequest {
  url: string;
  window: number;
  maxBytes: number;
  range?: ByteRange;
}

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** The Range header for a frame's byte range; null for none; throws HttpError for an empty range. */
export function rangeHeader(range: ByteRange | undefined): string | null {
  if (!range) return null;
  if (range.end === undefined) return `bytes=${range.start}-`;
  if (range.end < range.start) throw new HttpError(ErrorCode.BAD_FRAME, `bad range: end ${range.end} before start ${range.start}`);
  return `bytes=${range.start}-${range.end}`;
}

export class HttpGet implements RelayStream {
  private readonly pump: OutboundPump;
  private readonly capBytes: number;
  private request: http.ClientRequest | null = null;
  private response: http.IncomingMessage | null = null;
  private readonly deadlines: HttpDeadlines;
  private done = false;
  private bodyBytes = 0;

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    req: HttpGetRequest,
    private readonly policy: Policy,
    timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS,
  ) {
    this.pump = new OutboundPump(host, id, req.window);
    this.capBytes = Math.min(req.maxBytes, MAX_HTTP_BODY_BYTES);
    this.deadlines = new HttpDeadlines(timeouts, (message) => this.fail(ErrorCode.TIMEOUT, message));
    let url: URL;
    let range: string | null;
    try {
      url = new URL(req.url);
      range = rangeHeader(req.range);
    } catch (err) {
      const refusal = err instanceof HttpError ? err : new HttpError(ErrorCode.HTTP_FAILED, `not a URL: ${req.url.slice(0, 200)}`);
      queueMicrotask(() => this.fail(refusal.code, refusal.message));
      return;
    }
    this.fetch(url, range, 0).catch((err: unknown) => {
      if (err instanceof PolicyError || err instanceof HttpError) this.fail(err.code, err.message);
      else this.fail(ErrorCode.HTTP_FAILED, `HTTP request failed: ${(err as Error).message}`);
    });
  }

  private async fetch(url: URL, range: string | null, hops: number): Promise<void> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpError(ErrorCode.REFUSED_ADDRESS, `refused: only http and https URLs, not ${url.protocol}`);
    }
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const resolved = await this.policy.resolve(url.hostname, port, this.host);
    if (this.done) return;
    const res = await this.send(url, port, range, resolved.address, resolved.family);
    if (this.done) return void res.destroy();
    const location = res.headers.location;
    if (REDIRECT_STATUSES.has(res.statusCode ?? 0) && location) {
      res.destroy();
      if (hops >= MAX_REDIRECTS) throw new HttpError(ErrorCode.HTTP_FAILED, `more than ${MAX_REDIRECTS} redirects`);
      return this.fetch(new URL(location, url), range, hops + 1);
    }
    this.respond(res);
  }

  private send(url: URL, port: number, range: string | null, address: string, family: 4 | 6): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, 'accept-encoding': 'identity', connection: 'close' };
    if (range) headers.range = range;
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      path: url.pathname + url.search,
      headers,
      agent: false,
      lookup: pinnedLookup(address, family),
    };
    const module = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = module.get(options, resolve);
      this.request = request;
      request.on('error', (err: NodeJS.ErrnoException) => reject(new HttpError(ErrorCode.HTTP_FAILED, `HTTP request to ${url.host} failed: ${err.code ?? err.message}`)));
    });
  }

  private respond(res: http.IncomingMessage): void {
    this.response = res;
    const header = res.headers['content-length'];
    const contentLength = header !== undefined && /^\d+$/.test(header) ? Number(header) : -1;
    if (contentLength > this.capBytes) {
      res.destroy();
      this.fail(ErrorCode.TOO_LARGE, `HTTP body of ${contentLength} bytes exceeds the limit of ${this.capBytes}`);
      return;
    }
    this.host.send({ type: FrameType.HTTP_RESPONSE, id: this.id, status: res.statusCode ?? 0, contentLength, window: 0 });
    this.pump.attach(this.deadlines.watch(res));
    res.on('data', (chunk: Buffer) => this.onBody(chunk));
    res.on('end', () => this.pump.end(() => this.finish({ type: FrameType.CLOSE, id: this.id, reason: '' })));
    res.on('error', (err) => this.fail(ErrorCode.HTTP_FAILED, `HTTP body failed: ${err.message}`));
    res.on('aborted', () => this.fail(ErrorCode.HTTP_FAILED, 'HTTP body aborted'));
  }

  private onBody(chunk: Buffer): void {
    if (this.done) return;
    this.bodyBytes += chunk.byteLength;
    if (this.bodyBytes > this.capBytes) {
      this.fail(ErrorCode.TOO_LARGE, `HTTP body exceeds the limit of ${this.capBytes} bytes`);
      return;
    }
    this.pump.push(chunk);
  }

  private fail(code: number, message: string): void {
    this.finish({ type: FrameType.ERROR, id: this.id, code, message });
  }

  private finish(frame: Parameters<StreamHost['send']>[0]): void {
    if (this.done) return;
    this.host.send(frame);
    this.host.forget(this.id);
    this.destroy();
  }

  write(): void {
    this.fail(ErrorCode.CREDIT_OVERRUN, 'an HTTP stream takes no data');
  }

  credit(bytes: number): void {
    if (!this.done) this.pump.addCredit(bytes);
  }

  linkDrained(): void {
    if (!this.done) this.pump.linkDrained();
  }

  closeFromTab(): void {
    if (this.done) return;
    this.host.forget(this.id);
    this.destroy();
  }

  destroy(): void {
    this.done = true;
    this.pump.stop();
    this.deadlines.stop();
    this.response?.destroy();
    this.request?.destroy();
  }

  bufferedBytes(): number {
    return this.done ? 0 : this.pump.buffered + (this.response?.readableLength ?? 0);
  }
}
