// HTTP_GET deadlines with lowered limits: the total cap ends a body that trickles just inside the
// idle limit, a pause caused by the tab's credit does not count as the server's silence, and a
// server that never answers hits the response deadline. HttpGet against a local server, with a
// stand-in session.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, FrameType, type Frame } from '../../../shared/bridge/frames.ts';
import { Policy } from '../../../gateway/policy.ts';
import type { HttpTimeouts } from '../../../gateway/relays/http-deadlines.ts';
import { HttpGet } from '../../../gateway/relays/http-get.ts';
import type { StreamHost } from '../../../gateway/relays/stream-host.ts';
import { FrameQueue } from '../helpers/frame-client.ts';

let web: Server;
let base: string;
const open = new Set<ServerResponse>();
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  web = createServer((req, res) => {
    open.add(res);
    if (req.url === '/silent') return; // no headers, ever
    res.writeHead(200);
    if (req.url === '/trickle') {
      const timer = setInterval(() => res.write('x'), 200);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    } else if (req.url === '/eight-then-quiet') {
      res.write('01234567');
    }
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const timer of timers) clearInterval(timer);
  for (const res of open) res.destroy();
  web.close();
});

const policy = new Policy({ allowPrivate: true, ownHttpPort: () => 1 });

function httpGet(path: string, window: number, timeouts: HttpTimeouts): { get: HttpGet; queue: FrameQueue } {
  const queue = new FrameQueue();
  const host: StreamHost = { send: (f: Frame) => queue.push(f), congested: () => false, maxDataPayload: 16 * 1024, forget: () => {} };
  return { get: new HttpGet(host, 1, { url: base + path, window, maxBytes: 1 << 20 }, policy, timeouts), queue };
}

/** The next DATA frame's bytes as text. */
async function text(queue: FrameQueue): Promise<string> {
  const f = await queue.next((x) => x.type === FrameType.DATA);
  return f.type === FrameType.DATA ? Buffer.from(f.bytes).toString() : '';
}

const notData = (f: Frame) => f.type !== FrameType.DATA && f.type !== FrameType.HTTP_RESPONSE;

describe('HTTP deadlines', () => {
  it('caps the whole request even while bytes keep trickling in', async () => {
    const started = Date.now();
    const { queue } = httpGet('/trickle', 1 << 20, { responseMs: 5000, idleMs: 1000, totalMs: 1500 });
    const verdict = await queue.next(notData, 5000);
    expect(verdict).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TIMEOUT, message: 'HTTP request took longer than 1.5 s in all' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(queue.frames.filter((f) => f.type === FrameType.DATA).length).toBeGreaterThanOrEqual(3);
  });

  it('does not count a pause for credit against the server, and counts again after it', async () => {
    const { get, queue } = httpGet('/eight-then-quiet', 4, { responseMs: 5000, idleMs: 300, totalMs: 10_000 });
    expect(await text(queue)).toBe('0123');
    // The tab's credit is spent, so the body is paused: three idle limits pass without a verdict.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(queue.frames.filter(notData)).toEqual([]);
    get.credit(100);
    expect(await text(queue)).toBe('4567');
    const resumed = Date.now();
    expect(await queue.next(notData, 3000)).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TIMEOUT, message: 'HTTP server sent nothing for 0.3 s' });
    expect(Date.now() - resumed).toBeGreaterThanOrEqual(250);
  });

  it('gives up on a server that never sends its headers', async () => {
    const { queue } = httpGet('/silent', 1 << 20, { responseMs: 300, idleMs: 5000, totalMs: 10_000 });
    expect(await queue.next()).toMatchObject({ type: FrameType.ERROR, code: ErrorCode.TIMEOUT, message: 'HTTP request timed out after 0.3 s' });
  });
});
