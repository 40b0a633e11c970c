import { describe, expect, it } from 'vitest';
import { EnginePortError, type EnginePort } from '../../../web/stream/engine-port.ts';
import { fileResponse } from '../../../web/stream/file-response.ts';
import type { StreamFileInfo } from '../../../web/stream/stream-messages.ts';

const HEX = 'ab'.repeat(20);
const PIECE = 16;
/** clip.webm: 50 bytes starting 10 bytes into the torrent, so its piece ends fall at 6, 22, 38. */
const FILE: StreamFileInfo = { length: 50, path: 't/clip.webm', offset: 10, pieceLength: PIECE };
const DATA = Uint8Array.from({ length: FILE.length }, (_, i) => (i * 7 + 3) & 0xff);

/** An engine whose reads answer in reverse order of asking, to show the body keeps file order. */
function fakeEngine(options: { missing?: boolean } = {}) {
  const reads: { start: number; end: number }[] = [];
  const closed: string[] = [];
  let pending: (() => void)[] = [];
  const engine = {
    async file(): Promise<StreamFileInfo> {
      if (options.missing) throw new EnginePortError(404, 'no such file in this tab');
      return FILE;
    },
    read(query: { start: number; end: number }): Promise<Uint8Array> {
      reads.push({ start: query.start, end: query.end });
      return new Promise((resolve) => {
        pending.push(() => resolve(DATA.slice(query.start, query.end)));
        if (pending.length >= 2 || query.end === FILE.length) {
          const answering = pending.reverse();
          pending = [];
          queueMicrotask(() => answering.forEach((answer) => answer()));
        }
      });
    },
    closeReader(readerId: string): void { closed.push(readerId); },
  };
  return { engine: engine as unknown as EnginePort, reads, closed };
}

function get(range?: string, method = 'GET'): Request {
  return new Request('http://app.test/stream/x/0/clip.webm', { method, headers: range ? { range } : {} });
}

const TARGET = { infoHashHex: HEX, fileIndex: 0 };

describe('fileResponse', () => {
  it('answers a range with 206, its Content-Range and the bytes in file order, reading piece by piece', async () => {
    const { engine, reads, closed } = fakeEngine();
    const response = await fileResponse(get('bytes=3-44'), TARGET, engine);
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe('bytes 3-44/50');
    expect(response.headers.get('content-length')).toBe('42');
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-type')).toBe('video/webm');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(DATA.slice(3, 45));
    expect(reads).toEqual([{ start: 3, end: 6 }, { start: 6, end: 22 }, { start: 22, end: 38 }, { start: 38, end: 45 }]);
    expect(closed).toHaveLength(1);
  });

  it('answers without a range with 200 and the whole file', async () => {
    const { engine } = fakeEngine();
    const response = await fileResponse(get(), TARGET, engine);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-range')).toBeNull();
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(DATA);
  });

  it('answers the last byte, HEAD without a body, and 416 past the end', async () => {
    const { engine, reads } = fakeEngine();
    const last = await fileResponse(get('bytes=49-'), TARGET, engine);
    expect([...new Uint8Array(await last.arrayBuffer())]).toEqual([DATA[49]]);
    const head = await fileResponse(get('bytes=0-9', 'HEAD'), TARGET, engine);
    expect(head.status).toBe(206);
    expect(head.body).toBeNull();
    const past = await fileResponse(get('bytes=50-'), TARGET, engine);
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe('bytes */50');
    expect(reads).toEqual([{ start: 49, end: 50 }]);
  });

  it('passes the engine\u2019s 404 on, refuses other methods, and sandboxes every answer', async () => {
    const missing = await fileResponse(get(), TARGET, fakeEngine({ missing: true }).engine);
    expect(missing.status).toBe(404);
    const post = await fileResponse(get(undefined, 'POST'), TARGET, fakeEngine().engine);
    expect(post.status).toBe(405);
    for (const response of [missing, post, await fileResponse(get(), TARGET, fakeEngine().engine)]) {
      expect(response.headers.get('content-security-policy')).toMatch(/^sandbox;/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
