// The service worker's answer to GET/HEAD of a file URL: 200 or 206 with Content-Range, 416 past
// the end, the body read from the engine piece by piece as the download brings it. Each response
// is one reader: its position gives the engine deadlines, and it closes when the body ends or the
// browser cancels it (a seek).
import { contentRange, parseRange } from './byte-range.ts';
import { contentTypeOf } from './content-type.ts';
import { EnginePortError, type EnginePort } from './engine-port.ts';
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
  const body = request.method === 'HEAD' || start === end ? null : readerStream(engine, target, start, end);
  return new Response(body, { status, headers });
}

/** Bytes [start, end) of the file, pulled from the engine one piece at a time. */
function readerStream(engine: EnginePort, target: StreamTarget, start: number, end: number): ReadableStream<Uint8Array> {
  const readerId = crypto.randomUUID();
  let position = start;
  const close = () => engine.closeReader(readerId, target.infoHashHex);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const bytes = await engine.read({ type: 'read', readerId, infoHashHex: target.infoHashHex, fileIndex: target.fileIndex, start: position, end });
        position += bytes.length;
        controller.enqueue(bytes);
        if (position >= end || bytes.length === 0) {
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
