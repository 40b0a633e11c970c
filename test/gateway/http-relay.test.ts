import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType, type ByteRange, type Frame } from '../../shared/bridge/frames.ts';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { WsFrameClient } from './helpers/frame-client.ts';

let gateway: RunningGateway;
let strict: RunningGateway;
let web: Server;
let base: string;
const seenRanges: (string | undefined)[] = [];

beforeAll(async () => {
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent', allowPrivate: true });
  strict = await startGateway({ port: 0, peerPort: 0, staticDir: '/nonexistent' });
  web = createServer((req, res) => {
    seenRanges.push(req.headers.range);
    if (req.url === '/announce?x=1') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('d8:intervali1800ee');
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-length': String(100_000) });
      res.end(Buffer.alloc(100_000));
    } else if (req.url === '/chunked') {
      res.writeHead(200); // no content-length: chunked
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(10_000));
      res.end();
    } else if (req.url?.startsWith('/redirect/')) {
      const n = Number(req.url.split('/')[2]);
      res.writeHead(302, { location: n > 0 ? `/redirect/${n - 1}` : '/announce?x=1' });
      res.end();
    } else if (req.url === '/file') {
      const body = Buffer.from('0123456789');
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (m) {
        const start = Number(m[1]);
        const end = m[2] ? Number(m[2]) : body.length - 1;
        res.writeHead(206, { 'content-length': String(end - start + 1) });
        res.end(body.subarray(start, end + 1));
      } else {
        res.end(body);
      }
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(async () => {
  web.close();
  await gateway.close();
  await strict.close();
});

/** HTTP_GET, then frames until CLOSE or ERROR. */
async function get(client: WsFrameClient, id: number, url: string, maxBytes = 1 << 20, range?: ByteRange): Promise<{ frames: Frame[]; body: Buffer }> {
  client.send({ type: FrameType.HTTP_GET, id, window: 1 << 20, maxBytes, url, range });
  const frames: Frame[] = [];
  const parts: Buffer[] = [];
  for (;;) {
    const f = await client.nextFor(id);
    frames.push(f);
    if (f.type === FrameType.DATA) parts.push(Buffer.from(f.bytes));
    if (f.type === FrameType.CLOSE || f.type === FrameType.ERROR) return { frames, body: Buffer.concat(parts) };
  }
}

describe('HTTP relay', () => {
  it('fetches a small body: HTTP_RESPONSE, DATA, CLOSE', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { frames, body } = await get(client, 1, `${base}/announce?x=1`);
    expect(frames[0]).toMatchObject({ type: FrameType.HTTP_RESPONSE, status: 200 });
    expect(body.toString()).toBe('d8:intervali1800ee');
    expect(frames.at(-1)!.type).toBe(FrameType.CLOSE);
    client.close();
  });

  it('passes non-2xx statuses through', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { frames } = await get(client, 1, `${base}/missing`);
    expect(frames[0]).toMatchObject({ type: FrameType.HTTP_RESPONSE, status: 404 });
    client.close();
  });

  it('refuses a body whose Content-Length exceeds maxBytes (TOO_LARGE)', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { frames } = await get(client, 2, `${base}/big`, 50_000);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TOO_LARGE });
    client.close();
  });

  it('stops a streamed body that grows past maxBytes (TOO_LARGE)', async () => {
    const client = await WsFrameClient.ready(gateway);
    const { frames, body } = await get(client, 3, `${base}/chunked`, 25_000);
    expect(frames[0]).toMatchObject({ type: FrameType.HTTP_RESPONSE, contentLength: -1 });
    expect(frames.at(-1)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TOO_LARGE });
    expect(body.length).toBeLessThanOrEqual(25_000);
    client.close();
  });

  it('follows redirects, at most 5', async () => {
    const client = await WsFrameClient.ready(gateway);
    const ok = await get(client, 4, `${base}/redirect/3`);
    expect(ok.body.toString()).toBe('d8:intervali1800ee');
    const tooMany = await get(client, 5, `${base}/redirect/9`);
    expect(tooMany.frames.at(-1)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.HTTP_FAILED });
    client.close();
  });

  it("sends the frame's byte range as a Range header (and never the URL's fragment)", async () => {
    const client = await WsFrameClient.ready(gateway);
    const { frames, body } = await get(client, 6, `${base}/file#range=0-0`, 1 << 20, { start: 2, end: 5 });
    expect(frames[0]).toMatchObject({ type: FrameType.HTTP_RESPONSE, status: 206, contentLength: 4 });
    expect(body.toString()).toBe('2345');
    expect(seenRanges.at(-1)).toBe('bytes=2-5');
    const open = await get(client, 7, `${base}/file`, 1 << 20, { start: 7 });
    expect(open.body.toString()).toBe('789');
    expect(seenRanges.at(-1)).toBe('bytes=7-');
    const none = await get(client, 8, `${base}/file#range=2-5`);
    expect(none.body.toString()).toBe('0123456789');
    expect(seenRanges.at(-1)).toBeUndefined();
    client.close();
  });

  it('refuses a range that ends before it starts (BAD_FRAME on that request only)', async () => {
    const client = await WsFrameClient.ready(gateway);
    const requests = seenRanges.length;
    const { frames } = await get(client, 9, `${base}/file`, 1 << 20, { start: 5, end: 4 });
    expect(frames).toEqual([expect.objectContaining({ type: FrameType.ERROR, id: 9, code: ErrorCode.BAD_FRAME })]);
    expect(seenRanges.length, 'no request reached the server').toBe(requests);
    const after = await get(client, 10, `${base}/file`, 1 << 20, { start: 0, end: 1 });
    expect(after.body.toString()).toBe('01');
    client.close();
  });

  it('refuses loopback URLs without --allow-private, and non-http schemes', async () => {
    const client = await WsFrameClient.ready(strict);
    const { frames } = await get(client, 1, `${base}/announce?x=1`);
    expect(frames[0]).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS });
    const ftp = await get(client, 2, 'ftp://example.com/file');
    expect(ftp.frames[0]).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.REFUSED_ADDRESS });
    client.close();
  });
});
