// The service worker's answer to GET/HEAD of a file URL: 200 or 206 with Content-Range, 416 past
// the end, the body read from the engine piece by piece as the download brings it. Each response
// is one reader: its position gives the engine deadlines, and it closes when the body ends or the
// browser cancels it (a seek).
import { contentRange, parseRange } from './byte-range.ts';
import { contentTypeOf } from './content-type.ts';
import { EnginePortError, type EnginePort } from './engine-port.ts';
import type { StreamFileInfo } from './stream-messages.ts';
import type { StreamTarget } from './stream-url.ts';

/**
 * A file of a torrent is not the app: it gets no script, no plugin, no access to this origin's
 * storage (sandbox without allow-same-origin), whatever it contains.
 */
const FILE_HEADERS = {
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
  'accept-ranges': 'bytes',
};

export async function fileResponse(request: Request, target: StreamTarget, engine: EnginePort): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('method not allowed\n', { status: 405, headers: { ...FILE_HEADERS, allow: 'GET, HEAD' } });
  }
  let file;
  try {
    file = await engine.file(target.infoHashHex, target.fileIndex);
  } catch (error) {
    const status = error instanceof EnginePortError ? error.status : 500;
    return new Response(`${(error as Error).message}\n`, { status, headers: { ...FILE_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
  }
  const size = file.length;
  const range = parseRange(request.headers.get('range'), size);
  if (range.kind === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...FILE_HEADERS, 'content-range': contentRange(range, size) } });
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : size;
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const headers: Record<string, string> = {
    ...FILE_HEADERS,
    'content-type': contentTypeOf(file.path),
    'content-length': String(end - start),
    'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
    ...(range.kind === 'partial' ? { 'content-range': contentRange(range, size) } : {}),
  };
  const status = range.kind === 'partial' ? 206 : 200;
  const body = request.method === 'HEAD' || start === end ? null : readerStream(engine, target, file, start, end);
  return new Response(body, { status, headers });
}

/**
 * Pieces a response asks the engine for at once, ahead of what the browser has taken: reading a
 * stored piece (IndexedDB, the port) takes tens of milliseconds on a busy machine, so reads one
 * after the other would pace the player. Memory: this many pieces per open response.
 */
const READS_IN_FLIGHT = 4;

/** Bytes [start, end) of the file, read from the engine a piece at a time, several pieces ahead. */
function readerStream(engine: EnginePort, target: StreamTarget, file: StreamFileInfo, start: number, end: number): ReadableStream<Uint8Array> {
  const readerId = crypto.randomUUID();
  const reads: Promise<Uint8Array>[] = [];
  let next = start;
  let delivered = start;
  const close = () => engine.closeReader(readerId, target.infoHashHex);
  /** Asks for the next pieces' bytes, each read ending at its piece's end. */
  const readAhead = () => {
    while (reads.length < READS_IN_FLIGHT && next < end) {
      const pieceEnd = (Math.floor((file.offset + next) / file.pieceLength) + 1) * file.pieceLength - file.offset;
      const stop = Math.min(end, pieceEnd);
      const read = engine.read({ type: 'read', readerId, infoHashHex: target.infoHashHex, fileIndex: target.fileIndex, start: next, end: stop });
      read.catch(() => {}); // handled when its turn comes
      reads.push(read);
      next = stop;
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        readAhead();
        const bytes = await reads.shift()!;
        delivered += bytes.length;
        controller.enqueue(bytes);
        if (delivered >= end) {
          close();
          controller.close();
        }
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel: close,
  }, { highWaterMark: 1 });
}
