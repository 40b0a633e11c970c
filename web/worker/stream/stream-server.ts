// The engine's side of the service worker's port (web/stream/stream-messages.ts): file lookups
// and reads, answered by id. A read waits for its piece; its bytes are transferred, not copied.
import type { Engine } from '../engine.ts';
import type { StreamReply, StreamRequest } from '../../stream/stream-messages.ts';
import { StreamReadError } from '../torrent/stream-readers.ts';

/** Answers the service worker's requests on `port` until the port or the engine goes. */
export function serveStreams(port: MessagePort, engine: Engine): void {
  const reply = (message: StreamReply, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = (event: MessageEvent<StreamRequest>) => {
    const request = event.data;
    switch (request.type) {
      case 'file': return answerFile(engine, request, reply);
      case 'read': return void answerRead(engine, request, reply);
      case 'close-reader': return engine.get(request.infoHashHex)?.readers.closeReader(request.readerId);
    }
  };
  port.start();
}

type Reply = (message: StreamReply, transfer?: Transferable[]) => void;

function answerFile(engine: Engine, request: Extract<StreamRequest, { type: 'file' }>, reply: Reply): void {
  const meta = engine.get(request.infoHashHex)?.meta;
  const file = meta?.files[request.fileIndex];
  if (!meta || !file || file.padding) return reply({ type: 'error', id: request.id, status: 404, message: 'no such file in this tab' });
  reply({ type: 'file', id: request.id, file: { length: file.length, path: file.path, offset: file.offset, pieceLength: meta.pieceLength } });
}

async function answerRead(engine: Engine, request: Extract<StreamRequest, { type: 'read' }>, reply: Reply): Promise<void> {
  const torrent = engine.get(request.infoHashHex);
  if (!torrent) return reply({ type: 'error', id: request.id, status: 404, message: 'no such torrent in this tab' });
  try {
    const bytes = await torrent.readers.read(request.readerId, request.fileIndex, request.start, request.end);
    reply({ type: 'data', id: request.id, bytes: bytes.buffer }, [bytes.buffer]);
  } catch (error) {
    const notFound = error instanceof StreamReadError && error.code !== 'closed';
    reply({ type: 'error', id: request.id, status: notFound ? 404 : 500, message: (error as Error).message });
  }
}
